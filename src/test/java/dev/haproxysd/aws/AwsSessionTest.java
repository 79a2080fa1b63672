package dev.haproxysd.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Log;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.profiles.ProfileFile;

/** Pairs are roles × regions in the order given; opening a session builds no client and makes no call. */
class AwsSessionTest {
  private static final String A = "arn:aws:iam::111122223333:role/reader";
  private static final String B = "arn:aws:iam::444455556666:role/reader";
  private static final AwsEnvironment NOTHING = new AwsEnvironment(Map.of(),
      () -> ProfileFile.builder().content(new java.io.ByteArrayInputStream(new byte[0]))
          .type(ProfileFile.Type.CONFIGURATION).build());

  private static AwsSession open(List<String> regions, List<String> roles) {
    return AwsSession.open(AwsSettings.builder().regions(regions).roleArns(roles)
        .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(5)).build(), NOTHING, Log.SILENT);
  }

  @Test
  void pairs_areEveryRoleTimesEveryRegion_rolesFirst_duplicatesOnce() {
    try (AwsSession aws = open(List.of("us-east-1", "eu-west-1", "us-east-1"), List.of(A, B, A))) {
      assertEquals(List.of("111122223333 us-east-1", "111122223333 eu-west-1", "444455556666 us-east-1",
          "444455556666 eu-west-1"), aws.pairs().stream().map(p -> p.account() + " " + p.region()).toList());
      assertTrue(aws.namesPairs());
      assertEquals(new AwsPair(B, "eu-west-1"), aws.pairOf("eu-west-1", "444455556666"));
      assertThrows(IllegalArgumentException.class, () -> aws.pairOf("ap-south-1", "444455556666"));
      assertEquals(0, aws.calls().total());
    }
  }

  @Test
  void oneRegionWithoutRole_namesNoPair_andIsThePairOfEveryUnlabelledServer() {
    try (AwsSession aws = open(List.of("eu-west-1"), List.of())) {
      assertEquals(List.of(new AwsPair(null, "eu-west-1")), aws.pairs());
      assertFalse(aws.namesPairs());
      assertEquals(aws.pairs().get(0), aws.pairOf("", ""));
      assertEquals("eu-west-1", aws.pairs().get(0).toString());
    }
  }

  @Test
  void aPair_namesAccountAndRoleInMessages() {
    assertEquals("account 444455556666 (role ops/reader) us-east-1",
        new AwsPair("arn:aws:iam::444455556666:role/ops/reader", "us-east-1").toString());
  }
}
