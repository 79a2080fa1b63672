package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A hostile tag, attribute or var that a built-in reads stops the render, naming where it came from. */
class BuiltinTemplatesRefuseUnsafeValuesTest {
  private static final InetAddress IP = InetAddress.getLoopbackAddress();

  static Stream<Arguments> hostileInputs() {
    return Stream.of(
        Arguments.of(Named.of("asg-http: newline in the host tag", "asg-http"),
            service(Map.of("haproxy-sd:host", "a.example.com\n    http-request return status 200"), Map.of()),
            Map.of(), "service 'web'"),
        Arguments.of(Named.of("cloudmap-hosts: instance host attribute with a space", "cloudmap-hosts"),
            service(Map.of(), Map.of("host", "a.example.com evil.example.com")), Map.of(), "server 'task-1'"),
        Arguments.of(Named.of("cloudmap-hosts: host attribute that is no host name", "cloudmap-hosts"),
            service(Map.of("host", "under_score.example.com"), Map.of()), Map.of(), "host()"),
        Arguments.of(Named.of("tls-edge: env reference in the health path", "tls-edge"),
            service(Map.of("haproxy-sd:health-path", "/\"${AWS_SECRET_ACCESS_KEY}\""), Map.of()), Map.of(),
            "service 'web'"),
        Arguments.of(Named.of("dns-srv: '#' in the namespace var", "dns-srv"),
            service(Map.of(), Map.of()), Map.of("namespace", "internal.example#x"), "--var"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInputs")
  void stopsTheRenderNamingTheSource(String template, Service service, Map<String, String> vars, String named) {
    TemplateEngine engine = TemplateEngine.load("builtin:" + template);
    UnsafeValueException e = assertThrows(UnsafeValueException.class,
        () -> engine.render(new Inventory(List.of(service)), new TreeMap<>(vars)));
    assertTrue(e.getMessage().contains(named), e.getMessage());
    assertTrue(e.getMessage().startsWith("builtin:" + template + ":"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private static Service service(Map<String, String> serviceTags, Map<String, String> serverTags) {
    Server server = new Server("task-1", null, IP, 8080, 100, ServerState.READY, "", serverTags);
    return new Service("web", "cloudmap", List.of(server), serviceTags);
  }
}
