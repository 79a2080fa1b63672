package dev.haproxysd.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One balancer's drain report ({@code PREFIX/NAME.json} under {@code --drain-reports}): when it was written, and for
 * every instance this balancer holds draining, since when and how many sessions it still has over all its haproxy
 * workers. The fleet completes a lifecycle action once every live balancer reports the instance drained.
 *
 * @param balancer the balancer's name ({@code --balancer-id})
 * @param written when the balancer wrote it (its clock)
 * @param draining the instances it drains
 */
public record DrainReport(String balancer, Instant written, List<Draining> draining) {
  /** A short token: letters, digits, dots, hyphens and underscores, no slash or control character. */
  static final Pattern BALANCER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public DrainReport {
    requireBalancerId(balancer);
    Objects.requireNonNull(written, "written");
    draining = List.copyOf(draining);
  }

  /**
   * An instance a balancer drains.
   *
   * @param group its Auto Scaling group
   * @param since when the balancer first saw it waiting in {@code Terminating:Wait}
   * @param sessions sessions it still has on this balancer, over every worker; -1 when they cannot be counted
   * @param drained this balancer has let go of it: no session left (or, uncounted, its drain minimum passed)
   */
  public record Draining(String group, String instance, Instant since, int sessions, boolean drained) {
    public Draining {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(since, "since");
      if (sessions < -1) {
        throw new IllegalArgumentException("sessions must be -1 (unknown) or more, not " + sessions);
      }
    }
  }

  /** The entry for {@code group/instance}, or null when this balancer does not drain it (yet). */
  public Draining entry(String group, String instance) {
    return draining.stream().filter(d -> d.group().equals(group) && d.instance().equals(instance)).findFirst()
        .orElse(null);
  }

  /** The report as written to S3. */
  public byte[] json() {
    return DrainReportJson.format(this);
  }

  /**
   * Reads a report strictly (see {@link DrainReportJson}).
   *
   * @param balancer whose report it must be
   * @throws IllegalArgumentException naming the first thing wrong
   */
  public static DrainReport parse(byte[] json, String balancer) {
    return DrainReportJson.parse(json, balancer);
  }

  /**
   * Checks a balancer's name ({@code --balancer-id}).
   *
   * @throws IllegalArgumentException naming the rule
   */
  public static String requireBalancerId(String name) {
    if (name == null || !BALANCER.matcher(name).matches()) {
      throw new IllegalArgumentException("balancer id '" + (name == null ? "" : name.replaceAll("\\p{Cntrl}", "?"))
          + "' is not a short token (1-63 letters, digits, dots, hyphens and underscores, starting with a letter or "
          + "digit)");
    }
    return name;
  }
}
