package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version 2 of the inventory JSON: each service's Auto Scaling groups, written only when some service has them. */
class InventoryJsonGroupsTest {
  private static final ScalingGroup EAST = new ScalingGroup("web-asg", "us-east-1", "111122223333", 6,
      Map.of("i-0def0000000000002", "Terminating:Wait", "i-0abc0000000000001", "InService"));
  private static final ScalingGroup WEST = new ScalingGroup("web-asg", "eu-west-1", "", 1,
      Map.of("i-0aaa0000000000003", "Warmed:Pending"));

  private static final String V2 = """
      {
        "version": 2,
        "services": [
          {
            "name": "web",
            "source": "asg",
            "servers": [
              {
                "id": "i-0abc0000000000001",
                "address": "10.0.0.1",
                "port": 80,
                "weight": 100,
                "state": "ready"
              }
            ],
            "groups": [
              {
                "name": "web-asg",
                "region": "eu-west-1",
                "desiredCapacity": 1,
                "members": {
                  "i-0aaa0000000000003": "Warmed:Pending"
                }
              },
              {
                "name": "web-asg",
                "region": "us-east-1",
                "account": "111122223333",
                "desiredCapacity": 6,
                "members": {
                  "i-0abc0000000000001": "InService",
                  "i-0def0000000000002": "Terminating:Wait"
                }
              }
            ]
          }
        ]
      }
      """;

  private static Inventory withGroups(List<ScalingGroup> groups) throws Exception {
    Server server = Server.of("i-0abc0000000000001", InetAddress.getByName("10.0.0.1"), 80);
    return new Inventory(List.of(new Service("web", "asg", List.of(server), Map.of(), groups)));
  }

  @Test
  void groups_areWrittenAsVersion2_sortedByAccountRegionAndName_membersSorted_accountOnlyWhenKnown() throws Exception {
    Inventory inventory = withGroups(List.of(EAST, WEST));

    assertEquals(V2, new String(InventoryJson.bytes(inventory), StandardCharsets.UTF_8));
  }

  @Test
  void version2_roundTrips_toTheSameInventoryAndTheSameBytes() throws Exception {
    Inventory read = InventoryJson.read(V2.getBytes(StandardCharsets.UTF_8), "inv.json");

    assertEquals(withGroups(List.of(EAST, WEST)), read);
    assertEquals(V2, new String(InventoryJson.bytes(read), StandardCharsets.UTF_8));
    assertFalse(read.services().get(0).groups().get(0).leaving("i-0aaa0000000000003"),
        "a state AWS added later (Warmed:Pending) is accepted and is not leaving");
  }

  @Test
  void anInventoryWithoutGroups_staysVersion1_byteForByteAsTheBundledExample() throws Exception {
    byte[] example = Files.readAllBytes(InventoryJsonTest.EXAMPLE);
    Inventory inventory = InventoryJson.read(example, "example");

    assertFalse(inventory.hasGroups());
    assertArrayEquals(example, InventoryJson.bytes(inventory));
    assertArrayEquals(InventoryJson.bytes(withGroups(List.of())), InventoryJson.bytes(withGroups(List.of(EAST))
        .withoutGroups()), "without its groups a version 2 inventory is the version 1 document");
  }

  @Test
  void version1_hasNoGroupsField() {
    InventoryFormatException e = assertThrows(InventoryFormatException.class, () -> InventoryJson.read(
        V2.replace("\"version\": 2", "\"version\": 1").getBytes(StandardCharsets.UTF_8), "inv.json"));
    assertTrue(e.getMessage().startsWith("inv.json: $.services[0]: unknown field 'groups'"), e.getMessage());
  }

  @Test
  void version2_withoutAnyGroup_isReadToo() throws Exception {
    String json = """
        {"version": 2, "services": [{"name": "web", "servers": []}]}""";
    assertEquals(new Inventory(List.of(new Service("web", "file", List.of()))),
        InventoryJson.read(json.getBytes(StandardCharsets.UTF_8), "inv.json"));
  }

  /** One group of one service; {@code group} is the group object's JSON. */
  private static String inventoryWith(String group) {
    return "{\"version\": 2, \"services\": [{\"name\": \"web\", \"source\": \"asg\", \"servers\": [], "
        + "\"groups\": [" + group + "]}]}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      empty name           | {"name": "", "region": "us-east-1", "desiredCapacity": 1, "members": {}}                | $.services[0].groups[0].name: a group name has 1 to 255 characters
      control in name      | {"name": "web\\u0007", "region": "us-east-1", "desiredCapacity": 1, "members": {}}      | $.services[0].groups[0].name: a group name has no control character
      line break in name   | {"name": "web\\nlisten x", "region": "us-east-1", "desiredCapacity": 1, "members": {}}  | $.services[0].groups[0].name: a group name has no control character
      name not a string    | {"name": 7, "region": "us-east-1", "desiredCapacity": 1, "members": {}}                 | $.services[0].groups[0].name: must be a string, got the number 7
      no region            | {"name": "web", "desiredCapacity": 1, "members": {}}                                    | $.services[0].groups[0]: missing field 'region'
      bad region           | {"name": "web", "region": "us-east-1; x", "desiredCapacity": 1, "members": {}}          | $.services[0].groups[0].region: region 'us-east-1; x' is not an AWS region (e.g. us-east-1)
      bad account          | {"name": "web", "region": "us-east-1", "account": "1234", "desiredCapacity": 1, "members": {}} | $.services[0].groups[0].account: account '1234' is not a 12-digit AWS account
      negative capacity    | {"name": "web", "region": "us-east-1", "desiredCapacity": -1, "members": {}}            | $.services[0].groups[0].desiredCapacity: desiredCapacity -1 is outside 0-100000
      absurd capacity      | {"name": "web", "region": "us-east-1", "desiredCapacity": 100001, "members": {}}        | $.services[0].groups[0].desiredCapacity: desiredCapacity 100001 is outside 0-100000
      huge capacity        | {"name": "web", "region": "us-east-1", "desiredCapacity": 1e14, "members": {}}          | $.services[0].groups[0].desiredCapacity: desiredCapacity 100000000000000 is outside 0-100000
      fractional capacity  | {"name": "web", "region": "us-east-1", "desiredCapacity": 1.5, "members": {}}           | $.services[0].groups[0].desiredCapacity: must be a whole number, got the number 1.5
      no capacity          | {"name": "web", "region": "us-east-1", "members": {}}                                   | $.services[0].groups[0]: missing field 'desiredCapacity'
      no members           | {"name": "web", "region": "us-east-1", "desiredCapacity": 1}                            | $.services[0].groups[0]: missing field 'members'
      members array        | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": []}             | $.services[0].groups[0].members: must be an object, got an array
      member not instance  | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"web-1": "InService"}} | $.services[0].groups[0].members['web-1']: member 'web-1' is not an EC2 instance id (i- and up to 17 hex digits)
      member hostile       | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"i-1\\nx": "InService"}} | $.services[0].groups[0].members['i-1\\nx']: member 'i-1\\nx' is not an EC2 instance id (i- and up to 17 hex digits)
      member too long      | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"i-0123456789abcdef01": "InService"}} | $.services[0].groups[0].members['i-0123456789abcdef01']: member 'i-0123456789abcdef01' is not an EC2 instance id
      state with space     | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"i-1": "Terminating Wait"}} | $.services[0].groups[0].members['i-1']: lifecycle state 'Terminating Wait' is not a lifecycle state (words joined by ':', e.g. Terminating:Wait)
      state trailing colon | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"i-1": "Terminating:"}} | $.services[0].groups[0].members['i-1']: lifecycle state 'Terminating:' is not a lifecycle state
      state not a string   | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {"i-1": 1}}     | $.services[0].groups[0].members['i-1']: must be a string, got the number 1
      unknown group field  | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {}, "min": 1}  | $.services[0].groups[0]: unknown field 'min' (expected one of account, desiredCapacity, members, name, region)
      group not an object  | "web"                                                                                   | $.services[0].groups[0]: must be an object, got a string
      listed twice         | {"name": "web", "region": "us-east-1", "desiredCapacity": 1, "members": {}}, {"name": "web", "region": "us-east-1", "desiredCapacity": 2, "members": {}} | $.services[0].groups[1]: group 'web' of us-east-1 is listed twice
      """)
  void groupFacts_areInput_refusedWithOneLineNamingTheirPath(String caseName, String group, String expected) {
    InventoryFormatException e = assertThrows(InventoryFormatException.class, () -> InventoryJson.read(
        inventoryWith(group).getBytes(StandardCharsets.UTF_8), "s3://acme-lb/prod.json"));

    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    assertTrue(e.getMessage().startsWith("s3://acme-lb/prod.json: " + expected), e.getMessage());
  }

  @Test
  void aGroupNameOf255Characters_isAccepted_256AreNot() throws Exception {
    String ok = "g".repeat(255);
    Inventory read = InventoryJson.read(inventoryWith("{\"name\": \"" + ok + "\", \"region\": \"us-east-1\", "
        + "\"desiredCapacity\": 0, \"members\": {}}").getBytes(StandardCharsets.UTF_8), "inv.json");
    assertEquals(ok, read.services().get(0).groups().get(0).name());
    assertThrows(InventoryFormatException.class, () -> InventoryJson.read(inventoryWith("{\"name\": \"" + ok
        + "g\", \"region\": \"us-east-1\", \"desiredCapacity\": 0, \"members\": {}}")
        .getBytes(StandardCharsets.UTF_8), "inv.json"));
  }
}
