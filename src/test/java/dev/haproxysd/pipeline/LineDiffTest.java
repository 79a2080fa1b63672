package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import dev.haproxysd.render.Rendered;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineDiffTest {
  private static final Path TARGET = Path.of("/etc/haproxy/haproxy.cfg");

  /** A config like the built-in template's: one backend a service, one server line an instance. */
  private static String config(int services, int perService, int port) {
    StringBuilder b = new StringBuilder("global\n    maxconn 4096\n\ndefaults\n    mode http\n\n");
    for (int s = 0; s < services; s++) {
      b.append("backend svc").append(s).append("\n    balance roundrobin\n    option httpchk\n");
      for (int i = 0; i < perService; i++) {
        int n = s * perService + i;
        b.append("    server i-").append(String.format("%08x", n)).append(" 10.0.").append(n / 250).append('.')
            .append(n % 250 + 1).append(':').append(port).append(" check weight 100\n");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Lines as Plan splits them: a final newline ends the last line, it does not start another. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    lines.remove(lines.size() - 1);
    return lines;
  }

  private static Plan plan(String installed, String rendered) {
    return new Plan(TARGET, installed, new Rendered(rendered), null, null, null);
  }

  /** The unified diff, parsed back and applied to the installed text, gives the rendered text. */
  private static void assertDiffTurns(String from, String to) throws PatchFailedException {
    String diff = plan(from, to).unifiedDiff();
    Patch<String> parsed = UnifiedDiffUtils.parseUnifiedDiff(lines(diff));
    List<String> patched = DiffUtils.patch(lines(from), parsed);
    assertEquals(lines(to), patched);
  }

  private static Patch<String> patch(String from, String to) {
    return DiffUtils.diff(lines(from), lines(to), new LineDiff());
  }

  @Test
  void identicalTexts_haveNoDeltas() {
    String cfg = config(3, 4, 80);
    assertTrue(patch(cfg, cfg).getDeltas().isEmpty());
    assertEquals("", plan(cfg, cfg).unifiedDiff());
  }

  @Test
  void oneServerAdded_isOneInsertOfOneLine() throws PatchFailedException {
    String from = config(2, 3, 80);
    String to = from.replace("    server i-00000002", "    server i-00000099 10.9.9.9:80 check weight 100\n"
        + "    server i-00000002");
    List<AbstractDelta<String>> deltas = patch(from, to).getDeltas();
    assertEquals(1, deltas.size());
    assertEquals(1, deltas.get(0).getTarget().size());
    assertEquals(0, deltas.get(0).getSource().size());
    assertDiffTurns(from, to);
  }

  @Test
  void everyServerLineChanged_isOneChangePerBackend_andTheDiffApplies() throws PatchFailedException {
    String from = config(200, 50, 80);
    String to = config(200, 50, 81);

    List<AbstractDelta<String>> deltas = patch(from, to).getDeltas();

    assertEquals(200, deltas.size(), "the backend headers are anchors: one delta per backend");
    assertTrue(deltas.stream().allMatch(d -> d.getSource().size() == 50 && d.getTarget().size() == 50));
    assertDiffTurns(from, to);
  }

  @Test
  void aGapTooLargeForMyers_isReplacedAsAWhole_andTheDiffStillApplies() throws PatchFailedException {
    // one backend of 3,000 servers, all ports changed, plus repeated lines no anchor can use
    String from = config(1, 3000, 80).replace("check weight 100\n", "check weight 100\n\n");
    String to = config(1, 3000, 81).replace("check weight 100\n", "check weight 100\n\n");
    assertTrue(3001L * 3001 * 4 > LineDiff.MYERS_LIMIT);

    assertEquals(1, patch(from, to).getDeltas().size());
    assertDiffTurns(from, to);
  }

  @Test
  void fromNothingAndToNothing() throws PatchFailedException {
    assertDiffTurns("", config(1, 2, 80));
    assertDiffTurns(config(1, 2, 80), "");
    assertTrue(plan(null, "a\n").unifiedDiff().startsWith("--- /dev/null\n"));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomEdits_withRepeatedLines_alwaysGiveADiffThatApplies(long seed) throws PatchFailedException {
    Random random = new Random(seed);
    List<String> from = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // few distinct values: many lines repeat, so anchors are rare and Myers does the gaps
      from.add(random.nextInt(4) == 0 ? "    server s" + random.nextInt(1000) : "line " + random.nextInt(12));
    }
    List<String> to = new ArrayList<>(from);
    for (int e = 0; e < 40; e++) {
      int at = random.nextInt(to.size() + 1);
      switch (random.nextInt(3)) {
        case 0 -> to.add(at, "new " + random.nextInt(20));
        case 1 -> { if (at < to.size()) { to.remove(at); } }
        default -> { if (at < to.size()) { to.set(at, "line " + random.nextInt(12)); } }
      }
    }
    String a = String.join("\n", from) + "\n";
    String b = String.join("\n", to) + "\n";

    assertDiffTurns(a, b);
    assertEquals(to, DiffUtils.patch(from, DiffUtils.diff(from, to, new LineDiff())));
  }

  @Test
  void movedBackend_isADeleteAndAnInsert_andTheDiffApplies() throws PatchFailedException {
    String from = config(5, 3, 80);
    String moved = from.substring(from.indexOf("backend svc1"), from.indexOf("backend svc2"));
    String to = from.replace(moved, "") + moved;
    assertDiffTurns(from, to);
  }
}
