package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.discovery.ApiCalls;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
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
        inventory, Instant.parse("2025-12-31T23:58:30Z")));
    String samples = String.join("\n", text.lines().filter(l -> !l.startsWith("#")).toList());
    assertEquals(String.join("\n",
        "haproxy_sd_last_run_timestamp_seconds 1767225600.250",
        "haproxy_sd_last_run_success 1",
        "haproxy_sd_last_run_exit_code 0",
        "haproxy_sd_last_run_changed 1",
        "haproxy_sd_last_run_installed 1",
        "haproxy_sd_last_run_reloaded 1",
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
    assertEquals(14, text.lines().filter(l -> l.startsWith("# TYPE ")).count(), "one TYPE per family");
  }
}
