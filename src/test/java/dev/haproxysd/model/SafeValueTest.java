package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SafeValueTest {

  @ParameterizedTest(name = "name {0} is refused")
  @ValueSource(strings = {"a b", "a\nb", "a#b", "a\"b", "a'b", "a;b", "${SECRET}", "a/b", "", "\u0430pi", "a\tb"})
  void name_refusesAnythingOutsideTheHaproxyNameSet(String hostile) {
    UnsafeValueException e = assertThrows(UnsafeValueException.class, () -> SafeValue.name("name", hostile));
    assertTrue(e.getMessage().startsWith("name: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "the message stays on one line");
  }

  @Test
  void name_refusesTenKilobytes() {
    UnsafeValueException e =
        assertThrows(UnsafeValueException.class, () -> SafeValue.name("name", "a".repeat(10_240)));
    assertTrue(e.getMessage().contains("10240 characters long"), e.getMessage());
  }

  @ParameterizedTest(name = "value {0} is refused")
  @ValueSource(strings = {"x\nhttp-request return status 200", "x#y", "x y", "\"x\"", "x;y", "${SECRET}",
      "%[env(SECRET)]", "-x", "x,y", "x\\y", "\u0435xample.com", "x\u0000y"})
  void value_refusesDirectiveChangingCharacters(String hostile) {
    assertThrows(UnsafeValueException.class, () -> SafeValue.value("tag", hostile));
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.example.com", "/healthz", "10.0.0.1:8080", "a_b-c", "user@host", "k=v+w"})
  void value_acceptsOrdinaryValues(String ok) {
    assertEquals(ok, SafeValue.value("tag", ok));
  }

  @ParameterizedTest
  @CsvSource({"API.Example.com,api.example.com", "example.com.,example.com", "a-b.c,a-b.c"})
  void hostName_foldsCaseAndTrailingDot(String in, String out) {
    assertEquals(out, SafeValue.hostName("host", in));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a.com", "a..com", "a_b.com", "a b.com", "a.com#", "\u0430.com", "a.com\nx"})
  void hostName_refusesNonHostNames(String hostile) {
    assertThrows(UnsafeValueException.class, () -> SafeValue.hostName("host", hostile));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::7"})
  void address_acceptsLiterals(String literal) {
    InetAddress a = SafeValue.address("address", literal);
    assertEquals(InetAddress.class, a.getClass().getSuperclass());
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.com", "10.0.0.256", "010.0.0.1", "10.0.0", "1.2.3.4 ", "abc:def",
      "10.0.0.1\nserver x", "fe80::1%eth0"})
  void address_refusesNamesAndMalformedLiteralsWithoutDns(String hostile) {
    assertThrows(UnsafeValueException.class, () -> SafeValue.address("address", hostile));
  }

  @Test
  void endpoint_bracketsIpv6() {
    assertEquals("[0:0:0:0:0:0:0:1]:80", SafeValue.endpoint(SafeValue.address("a", "::1"), 80));
    assertEquals("10.0.0.1:8080", SafeValue.endpoint(SafeValue.address("a", "10.0.0.1"), 8080));
  }

  @Test
  void portAndWeight_areRangeChecked() {
    assertThrows(UnsafeValueException.class, () -> SafeValue.port("port", 0));
    assertThrows(UnsafeValueException.class, () -> SafeValue.port("port", 70_000));
    assertEquals(65535, SafeValue.port("port", 65535));
    assertThrows(UnsafeValueException.class, () -> SafeValue.weight("weight", 300));
    assertThrows(UnsafeValueException.class, () -> SafeValue.weight("weight", -1));
    assertEquals(0, SafeValue.weight("weight", 0));
  }

  @Test
  void quote_escapesControlCharactersAndCuts() {
    assertEquals("'a\\nb'", SafeValue.quote("a\nb"));
    assertEquals("'" + "x".repeat(40) + "...'", SafeValue.quote("x".repeat(100)));
  }

  @Test
  void server_messageNamesTheServerAndField() {
    UnsafeValueException e = assertThrows(UnsafeValueException.class,
        () -> new Server("i-1", "bad name", SafeValue.address("a", "10.0.0.1"), 80, 1, ServerState.READY, "",
            Map.of()));
    assertEquals("server 'i-1': name: unsafe value 'bad name' contains white space "
        + "(allowed: ASCII letters, digits and _ . : -)", e.getMessage());
  }
}
