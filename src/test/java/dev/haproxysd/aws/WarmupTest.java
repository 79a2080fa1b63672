package dev.haproxysd.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Log;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.profiles.ProfileFile;

@Timeout(60) // a change that never lets the session open hangs in the spin below: fail instead
class WarmupTest {
  private static final AwsEnvironment NOTHING = new AwsEnvironment(Map.of(),
      () -> ProfileFile.builder().content(new java.io.ByteArrayInputStream(new byte[0]))
          .type(ProfileFile.Type.CONFIGURATION).build());

  @Test
  void everyStepSucceeds_soAnSdkUpgradeThatRenamesAClientFailsHere() {
    assertTrue(Warmup.run(EnumSet.allOf(Warmup.Service.class)));
  }

  @Test
  void openingASessionWaitsUntilTheWarmupIsDone() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Warmup.start(() -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
    });
    entered.await();
    AtomicBoolean sawFinished = new AtomicBoolean();
    Thread opener = new Thread(() -> {
      try (AwsSession aws = AwsSession.open(AwsSettings.builder().region("us-east-1")
          .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(5)).build(), NOTHING, Log.SILENT)) {
        sawFinished.set(finished.get());
      }
    });
    opener.start();
    while (opener.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(opener.isAlive(), "the session opened while the warm-up was still running");
      Thread.onSpinWait();
    }
    assertFalse(finished.get());
    release.countDown();
    opener.join();
    assertTrue(sawFinished.get(), "the session must open only after the warm-up finished");
  }

  @Test
  void aSecondStartWhileOneRunsIsIgnored() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean secondRan = new AtomicBoolean();
    Warmup.start(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Warmup.start(() -> secondRan.set(true));
    release.countDown();
    Warmup.await();
    assertFalse(secondRan.get());
  }
}
