package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoScalingSourceTest {
  private final FakeAws aws = FakeAws.start();
  private final RecordingLog log = new RecordingLog();

  @AfterEach
  void stop() {
    aws.close();
  }

  private Inventory discover(AwsQuery query) {
    return Source.aws(query, log).discover();
  }

  @Test
  void inServiceRunningInstances_becomeReadyServers() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2").tag("Name", "web-2");

    Inventory inventory = discover(AwsQueries.groups(aws, "web"));

    assertEquals(1, inventory.services().size());
    Service web = inventory.services().get(0);
    assertEquals("web", web.name());
    assertEquals("asg", web.source());
    assertEquals(2, web.servers().size());
    Server second = web.servers().get(1);
    assertEquals("i-0002", second.id());
    assertEquals("10.0.0.2:80", second.endpoint());
    assertEquals(ServerState.READY, second.state());
    assertEquals("us-east-1a", second.zone());
    assertEquals("web-2", second.tags().get("Name"));
    assertTrue(aws.requests().stream().allMatch(r -> FakeAws.ACCESS_KEY.equals(r.accessKey())));
  }
}
