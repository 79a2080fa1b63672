package dev.haproxysd.aws;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * How many AWS API calls a discovery made, by operation; a page is one call, a retry is not (it is an extra
 * attempt). For logs and a metrics file.
 *
 * @param calls operation name, e.g. {@code DescribeInstances} → calls
 * @param attempts HTTP attempts, retries included
 */
public record ApiCalls(SortedMap<String, Integer> calls, int attempts) {
  public static final ApiCalls NONE = new ApiCalls(Collections.emptySortedMap(), 0);

  public ApiCalls {
    calls = Collections.unmodifiableSortedMap(new TreeMap<>(calls));
  }

  public int total() {
    return calls.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int retries() {
    return Math.max(0, attempts - total());
  }

  public ApiCalls plus(ApiCalls other) {
    TreeMap<String, Integer> sum = new TreeMap<>(calls);
    other.calls.forEach((op, n) -> sum.merge(op, n, Integer::sum));
    return new ApiCalls(sum, attempts + other.attempts);
  }

  /** E.g. {@code 2 API calls (DescribeAutoScalingGroups 1, DescribeInstances 1)}, plus retries when there were any. */
  @Override
  public String toString() {
    StringJoiner each = new StringJoiner(", ", " (", ")");
    for (Map.Entry<String, Integer> e : calls.entrySet()) {
      each.add(e.getKey() + " " + e.getValue());
    }
    int total = total();
    String text = total + (total == 1 ? " API call" : " API calls") + (calls.isEmpty() ? "" : each.toString());
    int retries = retries();
    return retries == 0 ? text : text + ", " + retries + (retries == 1 ? " retry" : " retries");
  }
}
