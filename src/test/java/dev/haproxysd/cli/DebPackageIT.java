package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.render.TemplateEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the build just made, inspected with {@code dpkg-deb -c} and {@code -I}: every path the package
 * promises, with owner and mode, its control data, and the content that matters (units, cron, man pages).
 * Paths that depend on the command model (one man page per command) and the build (one jar per dependency) are
 * derived from them.
 */
class DebPackageIT {
  private static final Path DEB = Path.of(System.getProperty("haproxysd.deb", "target/haproxy-sd_0.1.0_all.deb"));
  private static final Path LIB = Path.of(System.getProperty("haproxysd.lib", "target/lib"));

  /** path -> "mode owner/group" from dpkg-deb -c, e.g. "/usr/bin/haproxy-sd" -> "-rwxr-xr-x root/root". */
  private static Map<String, String> contents;

  @TempDir static Path unpacked;

  @BeforeAll
  static void unpack() throws Exception {
    assertTrue(Files.isRegularFile(DEB), DEB + " was not built");
    contents = new LinkedHashMap<>();
    for (String line : dpkgDeb("-c", DEB.toString()).split("\n")) {
      String[] f = line.trim().split("\\s+");
      String path = f[f.length - 1].replaceFirst("^\\.", "").replaceFirst("(.)/$", "$1");
      contents.put(path, f[0] + " " + f[1]);
    }
    dpkgDeb("-x", DEB.toString(), unpacked.toString());
  }

  private static String dpkgDeb(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("dpkg-deb"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dpkg-deb hung");
    assertEquals(0, p.exitValue(), "dpkg-deb " + args[0] + ": " + out);
    return out;
  }

  private static String file(String path) throws IOException {
    return Files.readString(unpacked.resolve(path.substring(1)), StandardCharsets.UTF_8);
  }

  private static List<String> expectedFiles() throws IOException {
    List<String> files = new ArrayList<>(List.of(
        "/usr/bin/haproxy-sd",
        "/usr/share/haproxy-sd/haproxy-sd.jar",
        "/usr/share/haproxy-sd/cds-train",
        "/usr/share/haproxy-sd/examples/inventory.json",
        "/usr/share/bash-completion/completions/haproxy-sd",
        "/usr/share/zsh/vendor-completions/_haproxy-sd",
        "/etc/haproxy-sd/haproxy-sd.conf",
        "/etc/cron.d/haproxy-sd",
        "/lib/systemd/system/haproxy-sd.service",
        "/lib/systemd/system/haproxy-sd.timer",
        "/lib/systemd/system/haproxy-sd-watch@.service",
        "/usr/share/doc/haproxy-sd/copyright",
        "/usr/share/doc/haproxy-sd/changelog.gz"));
    try (Stream<Path> jars = Files.list(LIB)) {
      jars.forEach(jar -> files.add("/usr/share/haproxy-sd/lib/" + jar.getFileName()));
    }
    TemplateEngine.BUILTINS.forEach(name -> files.add("/etc/haproxy-sd/templates/" + name + ".ftl"));
    manPages().forEach(page -> files.add("/usr/share/man/man1/" + page + ".1.gz"));
    return files;
  }

  private static List<String> manPages() {
    return GenerateDocs.commands(GenerateDocs.model()).stream().map(GenerateDocs::pageName).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyPromisedFileIsThere_ownedByRoot_withItsMode() throws IOException {
    return expectedFiles().stream().map(path -> DynamicTest.dynamicTest(path, () -> {
      boolean executable = path.equals("/usr/bin/haproxy-sd") || path.equals("/usr/share/haproxy-sd/cds-train");
      String mode = executable ? "-rwxr-xr-x" : "-rw-r--r--";
      assertEquals(mode + " root/root", contents.get(path), path + " in dpkg-deb -c");
    }));
  }

  /**
   * Without them a role profile, web identity or SSO fails at the first call ("the 'sts' service module ..."). SSO
   * also reads its token cache with json-utils and calls the portal over REST-JSON (aws-json-protocol) with the
   * SSO client the SDK builds itself, on the only HTTP client shipped (url-connection-client). Those three come with
   * other modules today; this says what a dependency change must keep.
   */
  @Test
  void theCredentialChainsModulesAreShipped() {
    for (String module : List.of("sts", "sso", "ssooidc", "json-utils", "aws-json-protocol", "url-connection-client")) {
      String prefix = "/usr/share/haproxy-sd/lib/software.amazon.awssdk." + module + "-";
      assertTrue(contents.keySet().stream().anyMatch(f -> f.startsWith(prefix) && f.endsWith(".jar")),
          module + " jar missing from the .deb");
    }
  }

  @Test
  void nothingElseIsShipped() throws IOException {
    List<String> files = contents.entrySet().stream().filter(e -> !e.getValue().startsWith("d")).map(Map.Entry::getKey)
        .sorted().toList();
    List<String> expected = expectedFiles().stream().sorted().toList();
    assertEquals(expected, files);
  }

  @Test
  void directoriesAreRootOwned0755_includingTheStateDirectory() {
    assertEquals("drwxr-xr-x root/root", contents.get("/var/lib/haproxy-sd"));
    contents.forEach((path, mode) -> {
      if (mode.startsWith("d")) {
        assertEquals("drwxr-xr-x root/root", mode, path);
      }
    });
  }

  @Test
  void control() throws Exception {
    String control = dpkgDeb("-f", DEB.toString());
    assertTrue(control.contains("Package: haproxy-sd\n"), control);
    assertTrue(control.contains("Version: " + System.getProperty("haproxysd.version", "0.1.0") + "\n"), control);
    assertTrue(control.contains("Architecture: all\n"), control);
    assertTrue(control.contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless\n"), control);
    assertTrue(control.contains("Recommends: haproxy\n"), control);
    assertTrue(control.contains("Installed-Size: "), control);
  }

  @Test
  void conffiles_areTheConfigTheTemplatesAndTheCronFile() throws Exception {
    List<String> expected = new ArrayList<>(List.of("/etc/haproxy-sd/haproxy-sd.conf", "/etc/cron.d/haproxy-sd"));
    TemplateEngine.BUILTINS.forEach(name -> expected.add("/etc/haproxy-sd/templates/" + name + ".ftl"));
    List<String> conffiles = dpkgDeb("-I", DEB.toString(), "conffiles").lines().sorted().toList();
    assertEquals(expected.stream().sorted().toList(), conffiles);
  }

  @Test
  void maintainerScriptsAndTheJvmTrigger() throws Exception {
    String info = dpkgDeb("-I", DEB.toString());
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertTrue(info.matches("(?s).*\\d+ lines\\s+\\*\\s+" + script + "\\s+#!/bin/sh.*"), script + " executable: " + info);
    }
    String postinst = dpkgDeb("-I", DEB.toString(), "postinst");
    assertTrue(postinst.contains("/usr/share/haproxy-sd/cds-train "), "postinst builds the CDS archive");
    assertTrue(file("/usr/share/haproxy-sd/cds-train").contains("-XX:ArchiveClassesAtExit="));
    assertTrue(postinst.lines().map(String::trim).filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains("enable")),
        "postinst must not enable the units: the administrator does");
    assertTrue(dpkgDeb("-I", DEB.toString(), "triggers").contains("interest-noawait /usr/lib/jvm"));
  }

  @Test
  void serviceIsAOneshotApply_timerEveryMinuteWithRandomDelay() throws IOException {
    String service = file("/lib/systemd/system/haproxy-sd.service");
    assertTrue(service.contains("\nType=oneshot\n"), service);
    assertTrue(service.contains("\nExecStart=/usr/bin/haproxy-sd apply\n"), service);
    assertTrue(!service.contains("[Install]"), "the timer starts the service; the service is never enabled itself");
    String timer = file("/lib/systemd/system/haproxy-sd.timer");
    assertTrue(timer.contains("\nOnCalendar=minutely\n"), timer);
    assertTrue(timer.matches("(?s).*\nRandomizedDelaySec=\\d+.*"), timer);
    assertTrue(timer.contains("\nWantedBy=timers.target\n"), timer);
  }

  @Test
  void watchServiceIsATemplateOnTheInterval_restartsOnFailure_andSighupReloads() throws IOException {
    String watch = file("/lib/systemd/system/haproxy-sd-watch@.service");
    assertTrue(watch.contains("\nExecStart=/usr/bin/haproxy-sd apply --watch %i\n"), watch);
    assertTrue(watch.contains("\nRestart=on-failure\n"), watch);
    assertTrue(watch.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"), watch);
    assertTrue(watch.contains("\nConflicts=haproxy-sd.timer\n"), "the timer or the watch, not both: " + watch);
    assertTrue(watch.contains("\nWantedBy=multi-user.target\nDefaultInstance=30s\n"), watch);
  }

  @Test
  void cronFileIsCommentedOut_andRunsApply() throws IOException {
    String cron = file("/etc/cron.d/haproxy-sd");
    assertTrue(cron.lines().allMatch(l -> l.isBlank() || l.startsWith("#")), cron);
    assertTrue(cron.contains("* * * * * root") && cron.contains("/usr/bin/haproxy-sd apply"), cron);
  }

  @Test
  void shippedConfigIsTheGeneratedOne_withNothingSet() throws IOException {
    String conf = file("/etc/haproxy-sd/haproxy-sd.conf");
    assertEquals(Files.readString(Path.of(GenerateDocs.COMMITTED_CONF)), conf);
    assertTrue(conf.lines().allMatch(l -> l.isEmpty() || l.startsWith("#")));
  }

  @TestFactory
  Stream<DynamicTest> gzippedWithMaxCompressionAndNoTimestamp() throws IOException {
    List<String> gz = expectedFiles().stream().filter(p -> p.endsWith(".gz")).toList();
    return gz.stream().map(path -> DynamicTest.dynamicTest(path, () -> {
      byte[] header = Files.readAllBytes(unpacked.resolve(path.substring(1)));
      assertArrayEquals(new byte[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(header, 4, 8), "gzip MTIME");
      assertEquals(2, header[8], "gzip XFL: -9");
    }));
  }

  @TestFactory
  Stream<DynamicTest> manPagesAreTheCommittedOnes() {
    return manPages().stream().map(page -> DynamicTest.dynamicTest(page, () -> {
      try (InputStream in = new GZIPInputStream(
          Files.newInputStream(unpacked.resolve("usr/share/man/man1/" + page + ".1.gz")))) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        in.transferTo(text);
        assertEquals(Files.readString(Path.of(GenerateDocs.MAN_DIR, page + ".1")),
            text.toString(StandardCharsets.UTF_8));
      }
    }));
  }

  @Test
  void changelogNamesThisVersion() throws IOException {
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(unpacked.resolve("usr/share/doc/haproxy-sd/changelog.gz")))) {
      String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      assertTrue(first.startsWith("haproxy-sd (" + System.getProperty("haproxysd.version", "0.1.0") + ") "), first);
    }
  }

  @TestFactory
  Stream<DynamicTest> copyrightCoversEveryBundledJar() throws IOException {
    String copyright = file("/usr/share/doc/haproxy-sd/copyright");
    List<PathMatcher> globs = new ArrayList<>();
    boolean inFiles = false;
    for (String line : copyright.split("\n")) {
      if (line.startsWith("Files:")) {
        inFiles = true;
        line = line.substring("Files:".length());
      } else if (!line.startsWith(" ")) {
        inFiles = false;
      }
      if (inFiles && line.trim().startsWith("usr/share/haproxy-sd/lib/")) {
        globs.add(FileSystems.getDefault().getPathMatcher("glob:" + line.trim()));
      }
    }
    List<Path> jars;
    try (Stream<Path> s = Files.list(LIB)) {
      jars = s.map(j -> Path.of("usr/share/haproxy-sd/lib").resolve(j.getFileName())).toList();
    }
    return jars.stream().map(jar -> DynamicTest.dynamicTest(jar.getFileName().toString(), () -> assertTrue(
        globs.stream().anyMatch(g -> g.matches(jar)),
        jar + ": add a 'Files:' stanza for its group id to packaging/deb/copyright")));
  }
}
