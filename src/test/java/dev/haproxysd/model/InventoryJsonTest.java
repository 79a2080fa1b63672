package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.UnsafeValueException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryJsonTest {
  static final Path EXAMPLE = Path.of("packaging/examples/inventory.json");

  private static Inventory read(String json) throws IOException {
    return InventoryJson.read(new StringReader(json), "inv.json");
  }

  private static String write(Inventory inventory) throws IOException {
    StringWriter out = new StringWriter();
    InventoryJson.write(inventory, out);
    return out.toString();
  }

  @Test
  void writeThenRead_givesTheSameInventoryAndTheSameBytes() throws IOException {
    String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    Inventory inventory = read(example);
    String written = write(inventory);
    assertEquals(inventory, read(written));
    assertEquals(written, write(read(written)));
    assertEquals(example, written, "the bundled example is in canonical form");
  }

  @Test
  void read_appliesDefaults() throws IOException {
    Inventory inventory = read("""
        {"version": 1, "services": [{"name": "web", "servers": [
          {"id": "i-1", "address": "10.0.0.1", "port": 80}]}]}""");
    var server = inventory.services().get(0).servers().get(0);
    assertEquals("i-1", server.name());
    assertEquals(100, server.weight());
    assertEquals(ServerState.READY, server.state());
    assertEquals("file", inventory.services().get(0).source());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated        | {"version": 1, "services": [                    | inv.json:1:29: malformed JSON: unexpected end of input
      bad token        | {"version": 1,\\n "services": [x]}              | inv.json:2:15: malformed JSON
      trailing comma   | {"version": 1, "services": [],}                 | inv.json:1:32: malformed JSON: Expected name
      wrong version    | {"version": 3, "services": []}                  | inv.json: $.version: unsupported inventory version 3 (this haproxy-sd reads versions 1 and 2)
      no version       | {"services": []}                                | inv.json: $: missing field 'version'
      services object  | {"version": 1, "services": {}}                  | inv.json: $.services: must be an array, got an object
      unknown field    | {"version": 1, "services": [], "extra": 1}      | inv.json: $: unknown field 'extra'
      missing port     | {"version": 1, "services": [{"name": "w", "servers": [{"id": "i", "address": "10.0.0.1"}]}]} | inv.json: $.services[0].servers[0]: missing field 'port'
      port as string   | {"version": 1, "services": [{"name": "w", "servers": [{"id": "i", "address": "10.0.0.1", "port": "80"}]}]} | inv.json: $.services[0].servers[0].port: must be a whole number, got a string
      unknown state    | {"version": 1, "services": [{"name": "w", "servers": [{"id": "i", "address": "10.0.0.1", "port": 80, "state": "up"}]}]} | inv.json: $.services[0].servers[0].state: unknown state 'up' (expected ready, drain or maint)
      tag not string   | {"version": 1, "services": [{"name": "w", "tags": {"a": 1}, "servers": []}]} | inv.json: $.services[0].tags.a: must be a string
      """)
  void read_refusesBadInputWithOneLineNamingTheSpot(String caseName, String json, String expectedStart) {
    InventoryFormatException e =
        assertThrows(InventoryFormatException.class, () -> read(json.replace("\\n", "\n")));
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    assertEquals(expectedStart, e.getMessage().substring(0, Math.min(expectedStart.length(), e.getMessage().length())),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      hostile id       | "i-1\\nlisten x"  | "10.0.0.1"         | 80 | 1   | inv.json: service 'web': server id: unsafe value 'i-1\\nlisten x' contains a line break (allowed: ASCII letters, digits and _ . : -)
      hostile address  | "i-1"              | "evil.example.com" | 80 | 1   | inv.json: service 'web': server 'i-1': address: unsafe value 'evil.example.com' is not an IP address literal
      port zero        | "i-1"              | "10.0.0.1"         | 0  | 1   | inv.json: service 'web': server 'i-1': port: port 0 is outside 1-65535
      port 70000       | "i-1"              | "10.0.0.1"      | 70000 | 1   | inv.json: service 'web': server 'i-1': port: port 70000 is outside 1-65535
      weight 300       | "i-1"              | "10.0.0.1"         | 80 | 300 | inv.json: service 'web': server 'i-1': weight: weight 300 is outside 0-256
      """)
  void read_refusesUnsafeServerValuesNamingServiceServerAndField(
      String caseName, String id, String address, int port, int weight, String message) {
    String json = String.format("{\"version\": 1, \"services\": [{\"name\": \"web\", \"servers\": ["
        + "{\"id\": %s, \"address\": %s, \"port\": %d, \"weight\": %d}]}]}", id, address, port, weight);
    UnsafeValueException e = assertThrows(UnsafeValueException.class, () -> read(json));
    assertEquals(message, e.getMessage());
  }
}
