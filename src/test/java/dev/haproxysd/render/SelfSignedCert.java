package dev.haproxysd.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate for 127.0.0.1 made with the real openssl, as a certbot PEM (chain + key in one file)
 * in a {@code crt} directory, and an {@link SSLContext} that trusts exactly that certificate.
 */
record SelfSignedCert(Path certDir, Path certificate) {

  static SelfSignedCert create(Path dir) throws IOException, InterruptedException {
    Path certDir = Files.createDirectories(dir.resolve("certs"));
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl req failed: " + Files.readString(dir.resolve("openssl.log")));
    }
    Files.writeString(certDir.resolve("edge.pem"), Files.readString(cert) + Files.readString(key));
    return new SelfSignedCert(certDir, cert);
  }

  SSLContext trustingIt() throws Exception {
    X509Certificate x509;
    try (InputStream in = Files.newInputStream(certificate)) {
      x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("edge", x509);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
