package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Sha256Test {
  @Test
  void ofBytes_isTheWellKnownDigest_andShortHexIsItsFirstTwelveDigits() {
    Sha256 sha = Sha256.of("abc".getBytes(StandardCharsets.UTF_8));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha.hex());
    assertEquals("ba7816bf8f01", sha.shortHex());
    assertEquals(sha, Sha256.of("abc"));
    assertEquals(sha.hex(), sha.toString());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "abc", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"})
  void refusesWhatIsNotSixtyFourLowerCaseHexDigits(String hex) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sha256(hex));
    assertEquals("sha256 (" + hex + ") is not 64 lower-case hex digits", e.getMessage());
  }
}
