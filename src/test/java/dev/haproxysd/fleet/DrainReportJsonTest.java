package dev.haproxysd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainReportJsonTest {
  private static final Instant T = Instant.parse("2026-12-08T02:00:00Z");

  @Test
  void aReportReadsBackAsWritten() {
    DrainReport report = new DrainReport("lb-a", T, List.of(new DrainReport.Draining("web-asg", "i-0abc", T, 2, false),
        new DrainReport.Draining("api", "i-0def", T.minusSeconds(60), 0, true)));
    String json = new String(report.json(), StandardCharsets.UTF_8);
    assertEquals("{\"version\":1,\"balancer\":\"lb-a\",\"written\":\"2026-12-08T02:00:00Z\",\"draining\":[{\"group\":"
        + "\"web-asg\",\"instance\":\"i-0abc\",\"since\":\"2026-12-08T02:00:00Z\",\"sessions\":2,\"drained\":false},"
        + "{\"group\":\"api\",\"instance\":\"i-0def\",\"since\":\"2026-12-08T01:59:00Z\",\"sessions\":0,\"drained\":true}"
        + "]}\n", json);
    assertEquals(report, DrainReport.parse(report.json(), "lb-a"));
    assertEquals(2, report.entry("web-asg", "i-0abc").sessions());
    assertNull(report.entry("web-asg", "i-0def"));
  }

  @Test
  void hostileOrMalformedReports_areRefusedNamingWhy() {
    String ok = "{\"version\":1,\"balancer\":\"lb-a\",\"written\":\"2026-12-08T02:00:00Z\",\"draining\":[%s]}";
    String entry = "{\"group\":\"web\",\"instance\":\"i-1\",\"since\":\"2026-12-08T02:00:00Z\",\"sessions\":%s,"
        + "\"drained\":%s}";
    List.of(
        List.of("not json at all", "not JSON"),
        List.of("{version:1}", "not JSON"),
        List.of(String.format(ok, "") + "{}", "not JSON: malformed JSON at line 1 column 80"),
        List.of("[]", "is not a JSON object"),
        List.of(String.format(ok, "").replace("\"version\":1", "\"version\":2"), "version 2"),
        List.of(String.format(ok, "").replace("lb-a", "lb-b"), "it says it is balancer 'lb-b'"),
        List.of(String.format(ok, "").replace("}", ",\"extra\":1}"), "does not have exactly the fields"),
        List.of(String.format(ok, String.format(entry, "\"1\"", "false")), "'sessions' is not a whole number"),
        List.of(String.format(ok, String.format(entry, "1.5", "false")), "'sessions' is not a whole number"),
        List.of(String.format(ok, String.format(entry, "-2", "false")), "outside -1.."),
        List.of(String.format(ok, String.format(entry, "0", "\"yes\"")), "'drained' is not true or false"),
        List.of(String.format(ok, String.format(entry, "0", "true").replace("i-1", "i-1;x")),
            "'instance' is not a valid name"),
        List.of(String.format(ok, String.format(entry, "0", "true").replace("web", "we\\nb")),
            "'group' is not a valid name"),
        List.of(String.format(ok, "").replace("2026-12-08T02:00:00Z", "yesterday"), "'written' is not an ISO-8601")
    ).forEach(c -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DrainReport.parse(c.get(0).getBytes(StandardCharsets.UTF_8), "lb-a"), c.get(0));
      assertEquals(true, e.getMessage().contains(c.get(1)), c.get(0) + " -> " + e.getMessage());
    });
    assertThrows(IllegalArgumentException.class, () -> DrainReport.parse(new byte[] {(byte) 0xff, '{', '}'}, "lb-a"));
    assertThrows(IllegalArgumentException.class, () -> DrainReport.parse(new byte[DrainReportJson.MAX_BYTES + 1],
        "lb-a"));
  }

  @Test
  void balancerIds_areShortTokens() {
    assertEquals("lb-a.eu_1", DrainReport.requireBalancerId("lb-a.eu_1"));
    for (String bad : new String[] {"", "a/b", "-a", "a b", "a\nb", "x".repeat(64), "..", "a:b"}) {
      assertThrows(IllegalArgumentException.class, () -> DrainReport.requireBalancerId(bad), bad);
    }
  }

  @Test
  void prefixes_endInASlash_andOnlyReportNamesAreBalancers() {
    S3Prefix at = S3Prefix.parse("s3://acme-lb/drain/");
    assertEquals(new S3Location("acme-lb", "drain/lb-a.json"), at.report("lb-a"));
    assertEquals("lb-a", at.balancerOf("drain/lb-a.json"));
    assertNull(at.balancerOf("drain/README"));
    assertNull(at.balancerOf("drain/sub/lb-a.json"));
    assertNull(at.balancerOf("other/lb-a.json"));
    assertThrows(IllegalArgumentException.class, () -> S3Prefix.parse("s3://acme-lb/drain"));
    assertThrows(IllegalArgumentException.class, () -> S3Prefix.parse("s3://Bad_Bucket/drain/"));
    assertEquals("", S3Prefix.parse("s3://acme-lb/").prefix());
  }
}
