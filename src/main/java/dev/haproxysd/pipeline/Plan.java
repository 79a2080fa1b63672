package dev.haproxysd.pipeline;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.haproxysd.render.Rendered;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rendered config compared with what is installed at {@code target}.
 *
 * @param current the installed text, or null when there is no file yet
 */
public record Plan(Path target, String current, Rendered desired) {

  public boolean changed() {
    return !desired.text().equals(current);
  }

  /** A unified diff (3 lines of context) from the installed file to the rendered config; empty when unchanged. */
  public String unifiedDiff() {
    if (!changed()) {
      return "";
    }
    List<String> from = current == null ? List.of() : lines(current);
    List<String> to = lines(desired.text());
    Patch<String> patch = DiffUtils.diff(from, to);
    String fromLabel = current == null ? "/dev/null" : target.toString();
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(fromLabel, target + " (rendered)", from, patch, 3);
    StringBuilder out = new StringBuilder();
    for (String line : diff) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (text.endsWith("\n")) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
