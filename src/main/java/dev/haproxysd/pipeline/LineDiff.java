package dev.haproxysd.pipeline;

import com.github.difflib.algorithm.Change;
import com.github.difflib.algorithm.DiffAlgorithmI;
import com.github.difflib.algorithm.DiffAlgorithmListener;
import com.github.difflib.algorithm.myers.MyersDiff;
import com.github.difflib.patch.DeltaType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A line diff that stays near-linear on haproxy configs, where Myers' O(N·D) is not: when every server line of
 * 10,000 changed, Myers took 4.8 s. Patience diff: the common prefix and suffix are trimmed, the lines that occur
 * exactly once on both sides (section headers, server lines, whose names come from instance ids) and in the same
 * order become anchors, and the gaps between anchors are diffed the same way. A gap without such anchors is small
 * enough for Myers (at most {@link #MYERS_LIMIT} line pairs), or else reported as replaced as a whole: still a
 * correct diff, only perhaps not the shortest.
 */
final class LineDiff implements DiffAlgorithmI<String> {
  /** Above this many line pairs (N·M) a gap without anchors is not searched for common lines. */
  static final long MYERS_LIMIT = 1L << 20;

  private record Range(int aFrom, int aTo, int bFrom, int bTo) {}

  @Override
  public List<Change> computeDiff(List<String> a, List<String> b, DiffAlgorithmListener progress) {
    List<Change> changes = new ArrayList<>();
    Deque<Range> todo = new ArrayDeque<>();
    todo.push(new Range(0, a.size(), 0, b.size()));
    while (!todo.isEmpty()) {
      Range r = todo.pop();
      int aFrom = r.aFrom();
      int aTo = r.aTo();
      int bFrom = r.bFrom();
      int bTo = r.bTo();
      while (aFrom < aTo && bFrom < bTo && a.get(aFrom).equals(b.get(bFrom))) {
        aFrom++;
        bFrom++;
      }
      while (aFrom < aTo && bFrom < bTo && a.get(aTo - 1).equals(b.get(bTo - 1))) {
        aTo--;
        bTo--;
      }
      if (aFrom == aTo && bFrom == bTo) {
        continue;
      }
      if (aFrom == aTo || bFrom == bTo) {
        changes.add(replaced(aFrom, aTo, bFrom, bTo));
        continue;
      }
      int[][] anchors = anchors(a, aFrom, aTo, b, bFrom, bTo);
      if (anchors.length > 0) {
        // pushed last-gap-first so that the gaps are popped, and their changes added, in order
        todo.push(new Range(anchors[anchors.length - 1][0] + 1, aTo, anchors[anchors.length - 1][1] + 1, bTo));
        for (int i = anchors.length - 1; i > 0; i--) {
          todo.push(new Range(anchors[i - 1][0] + 1, anchors[i][0], anchors[i - 1][1] + 1, anchors[i][1]));
        }
        todo.push(new Range(aFrom, anchors[0][0], bFrom, anchors[0][1]));
      } else if ((long) (aTo - aFrom) * (bTo - bFrom) <= MYERS_LIMIT) {
        for (Change c : new MyersDiff<String>().computeDiff(a.subList(aFrom, aTo), b.subList(bFrom, bTo), null)) {
          changes.add(new Change(c.deltaType, c.startOriginal + aFrom, c.endOriginal + aFrom,
              c.startRevised + bFrom, c.endRevised + bFrom));
        }
      } else {
        changes.add(replaced(aFrom, aTo, bFrom, bTo));
      }
    }
    return changes;
  }

  private static Change replaced(int aFrom, int aTo, int bFrom, int bTo) {
    DeltaType type = aFrom == aTo ? DeltaType.INSERT : bFrom == bTo ? DeltaType.DELETE : DeltaType.CHANGE;
    return new Change(type, aFrom, aTo, bFrom, bTo);
  }

  /**
   * Pairs {a index, b index} of lines found exactly once in each range, the longest run of them that is in the same
   * order on both sides (patience sorting), in increasing order.
   */
  private static int[][] anchors(List<String> a, int aFrom, int aTo, List<String> b, int bFrom, int bTo) {
    // per line: {count in a, index in a, count in b, index in b}
    Map<String, int[]> seen = new HashMap<>(2 * (aTo - aFrom));
    for (int i = aFrom; i < aTo; i++) {
      int[] s = seen.computeIfAbsent(a.get(i), k -> new int[4]);
      s[0]++;
      s[1] = i;
    }
    for (int j = bFrom; j < bTo; j++) {
      int[] s = seen.get(b.get(j));
      if (s != null) {
        s[2]++;
        s[3] = j;
      }
    }
    List<int[]> unique = new ArrayList<>();
    for (int i = aFrom; i < aTo; i++) {
      int[] s = seen.get(a.get(i));
      if (s[0] == 1 && s[2] == 1) {
        unique.add(new int[] {i, s[3]});
      }
    }
    return longestIncreasing(unique);
  }

  /** The longest subsequence of pairs (sorted by a) whose b indexes increase, by patience sorting. */
  private static int[][] longestIncreasing(List<int[]> pairs) {
    int n = pairs.size();
    int[] pileTops = new int[n];
    int[] previous = new int[n];
    int piles = 0;
    for (int k = 0; k < n; k++) {
      int b = pairs.get(k)[1];
      int lo = 0;
      int hi = piles;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (pairs.get(pileTops[mid])[1] < b) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      previous[k] = lo > 0 ? pileTops[lo - 1] : -1;
      pileTops[lo] = k;
      if (lo == piles) {
        piles++;
      }
    }
    int[][] run = new int[piles][];
    for (int k = piles == 0 ? -1 : pileTops[piles - 1], at = piles - 1; k >= 0; k = previous[k], at--) {
      run[at] = pairs.get(k);
    }
    return run;
  }
}
