package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.pipeline.GuardBreaches;
import dev.haproxysd.pipeline.Outcome;
import dev.haproxysd.state.PendingShrink;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTextfileTest {
  @Test
  void textfileFormat_golden() {
    Inventory inventory = new Inventory(List.of(
        new Service("web", "file", List.of(Server.of("i-1", InetAddress.getLoopbackAddress(), 80),
            Server.of("i-2", InetAddress.getLoopbackAddress(), 81))),
        new Service("api", "file", List.of())));
    String text = MetricsTextfile.format(new MetricsTextfile.Run(Instant.parse("2026-01-01T00:00:00.250Z"), 0,
        dev.haproxysd.pipeline.Outcome.INSTALLED_AND_RELOADED, Duration.ofMillis(1234),
        new ApiCalls(new java.util.TreeMap<>(Map.of("DescribeAutoScalingGroups", 1, "DescribeInstances", 2)), 4),
        inventory, Instant.parse("2025-12-31T23:58:30Z"), 2, null, null, null));
    String samples = String.join("\n", text.lines().filter(l -> !l.startsWith("#")).toList());
    assertEquals(String.join("\n",
        "haproxy_sd_last_run_timestamp_seconds 1767225600.250",
        "haproxy_sd_last_run_success 1",
        "haproxy_sd_last_run_exit_code 0",
        "haproxy_sd_last_run_changed 1",
        "haproxy_sd_last_run_installed 1",
        "haproxy_sd_last_run_reloaded 1",
        "haproxy_sd_last_run_runtime_changes 2",
        "haproxy_sd_last_run_refused{kind=\"empty\"} 0",
        "haproxy_sd_last_run_refused{kind=\"unexplained\"} 0",
        "haproxy_sd_last_run_refused{kind=\"unconfirmed\"} 0",
        "haproxy_sd_pending_shrink_servers 0",
        "haproxy_sd_pending_shrink_runs 0",
        "haproxy_sd_quarantined 0",
        "haproxy_sd_last_run_duration_seconds 1.234",
        "haproxy_sd_last_run_api_calls 3",
        "haproxy_sd_last_run_api_retries 1",
        "haproxy_sd_last_run_api_calls_by_operation{operation=\"DescribeAutoScalingGroups\"} 1",
        "haproxy_sd_last_run_api_calls_by_operation{operation=\"DescribeInstances\"} 2",
        "haproxy_sd_inventory_discovered_timestamp_seconds 1767225510.000",
        "haproxy_sd_inventory_age_seconds 90.250",
        "haproxy_sd_services 2",
        "haproxy_sd_servers{service=\"api\"} 0",
        "haproxy_sd_servers{service=\"web\"} 2"), samples);
    assertEquals(19, text.lines().filter(l -> l.startsWith("# TYPE ")).count(), "one TYPE per family");
  }

  @Test
  void aRefusedShrinkWaitingForConfirmation_andAQuarantinedConfig_areVisible() {
    GuardBreaches refusal = new GuardBreaches(List.of(), new GuardBreaches.Shrink(3, 4, 50,
        GuardBreaches.Kind.UNCONFIRMED, List.of(), new GuardBreaches.Sighting(2, 3, Instant.EPOCH)), List.of(), 3);
    PendingShrink pending = new PendingShrink(new Sha256("a".repeat(64)), 3, Instant.parse("2026-01-01T00:00:00Z"),
        2);
    String refused = samples(MetricsTextfile.format(new MetricsTextfile.Run(Instant.EPOCH, 19, Outcome.REFUSED,
        Duration.ZERO, ApiCalls.NONE, null, null, 0, refusal, pending, null)));
    assertTrue(refused.contains("\nhaproxy_sd_last_run_refused{kind=\"unconfirmed\"} 1\n"), refused);
    assertTrue(refused.contains("\nhaproxy_sd_last_run_refused{kind=\"unexplained\"} 0\n"), refused);
    assertTrue(refused.contains("\nhaproxy_sd_pending_shrink_servers 3\nhaproxy_sd_pending_shrink_runs 2\n"),
        refused);
    assertTrue(refused.contains("\nhaproxy_sd_pending_shrink_first_seen_timestamp_seconds 1767225600.000\n"),
        refused);
    assertTrue(refused.contains("\nhaproxy_sd_last_run_changed 0\n"), "a refused run changed nothing");

    String quarantined = samples(MetricsTextfile.format(new MetricsTextfile.Run(Instant.EPOCH, 21,
        Outcome.QUARANTINED, Duration.ZERO, ApiCalls.NONE, null, null, 0, null, null, null)));
    assertTrue(quarantined.contains("\nhaproxy_sd_quarantined 1\n"), quarantined);
    assertTrue(quarantined.contains("\nhaproxy_sd_last_run_exit_code 21\n"), quarantined);
  }

  private static String samples(String text) {
    return "\n" + String.join("\n", text.lines().filter(l -> !l.startsWith("#")).toList()) + "\n";
  }
}
