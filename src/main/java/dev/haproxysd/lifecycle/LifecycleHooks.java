package dev.haproxysd.lifecycle;

import dev.haproxysd.aws.AwsCall;
import dev.haproxysd.aws.AwsEnvironment;
import dev.haproxysd.aws.AwsException;
import dev.haproxysd.aws.AwsPair;
import dev.haproxysd.aws.AwsSession;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.model.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The lifecycle calls of one run, each in the (account, region) pair its group lives in, made as often as the caller
 * asks; nothing is built until the first call, so a run with no waiting instance costs nothing. Several balancers
 * complete the same action: AWS answers the losers with a ValidationError "No active Lifecycle Action found", which
 * {@link #complete} reports as {@code false}, not as a failure.
 *
 * <pre>{@code
 * try (LifecycleHooks hooks = LifecycleHooks.open(settings, log)) {
 *   LifecycleHooks.Group web = new LifecycleHooks.Group("web-asg", server.region(), server.account());
 *   for (LifecycleHook hook : hooks.terminationHooks(web, List.of("drain"))) {
 *     boolean byThisCall = hooks.complete(web, hook.name(), "i-0abc", false);
 *   }
 * }
 * }</pre>
 */
public final class LifecycleHooks implements AutoCloseable {
  static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

  private final AwsSettings settings;
  private final AwsSessions sessions;
  private final AwsEnvironment environment;
  private final Log log;
  private AwsSessions.Lease session;

  private LifecycleHooks(AwsSettings settings, AwsSessions sessions, AwsEnvironment environment, Log log) {
    this.settings = settings;
    this.sessions = sessions;
    this.environment = environment;
    this.log = log;
  }

  /** Lifecycle calls with the settings discovery uses, in this process's environment. */
  public static LifecycleHooks open(AwsSettings settings, Log log) {
    return open(settings, AwsSessions.perRun(), log);
  }

  /** As {@link #open(AwsSettings, Log)}, its AWS session from {@code sessions} (kept across the runs of a watch). */
  public static LifecycleHooks open(AwsSettings settings, AwsSessions sessions, Log log) {
    return new LifecycleHooks(settings, sessions, AwsEnvironment.system(), log);
  }

  /**
   * An Auto Scaling group where it lives: the region and account its servers were discovered in (empty in a run of
   * one region without an assumed role).
   */
  public record Group(String name, String region, String account) {
    public Group {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(account, "account");
    }
  }

  /**
   * Whether a pair of this run ({@code --role-arn} × {@code --region}) is in the group's region and account: its calls
   * can go nowhere else. No request is made.
   */
  public boolean reaches(Group group) {
    AwsSession aws;
    try {
      aws = session();
    } catch (AwsException e) {
      return true; // not a question of where: the group's first call reports why AWS cannot be reached
    }
    return aws.pairs().stream().anyMatch(p -> p.region().equals(group.region()) && p.account().equals(group.account()));
  }

  /**
   * {@code DescribeLifecycleHooks}: those of {@code names} that {@code group} has for terminating instances, in the
   * order AWS lists them.
   */
  public List<LifecycleHook> terminationHooks(Group group, List<String> names) {
    var found = call(group, "DescribeLifecycleHooks", "group " + group.name(),
        client -> client.describeLifecycleHooks(b -> b.autoScalingGroupName(group.name()).lifecycleHookNames(names))
            .lifecycleHooks());
    List<LifecycleHook> hooks = new ArrayList<>();
    for (var h : found) {
      if (TERMINATING.equals(h.lifecycleTransition()) && names.contains(h.lifecycleHookName())
          && h.heartbeatTimeout() != null && h.heartbeatTimeout() > 0) {
        hooks.add(new LifecycleHook(h.lifecycleHookName(), Duration.ofSeconds(h.heartbeatTimeout())));
      }
    }
    return hooks;
  }

  /**
   * {@code CompleteLifecycleAction} for {@code instance} with CONTINUE, or ABANDON.
   *
   * @return true when this call completed the action; false when there was none to complete (another balancer
   *     completed it, or it timed out)
   */
  public boolean complete(Group group, String hook, String instance, boolean abandon) {
    return active(group, "CompleteLifecycleAction", hook, instance,
        client -> client.completeLifecycleAction(b -> b.autoScalingGroupName(group.name()).lifecycleHookName(hook)
            .instanceId(instance).lifecycleActionResult(abandon ? "ABANDON" : "CONTINUE")));
  }

  /**
   * {@code RecordLifecycleActionHeartbeat}: the action of {@code instance} waits another heartbeat timeout.
   *
   * @return false when there was no action to extend (completed elsewhere, or timed out)
   */
  public boolean heartbeat(Group group, String hook, String instance) {
    return active(group, "RecordLifecycleActionHeartbeat", hook, instance,
        client -> client.recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(group.name())
            .lifecycleHookName(hook).instanceId(instance)));
  }

  private boolean active(Group group, String api, String hook, String instance,
      java.util.function.Function<AutoScalingClient, ?> request) {
    try {
      call(group, api, "group " + group.name() + ", hook " + hook + ", instance " + instance, request);
      return true;
    } catch (LifecycleException e) {
      if (noActiveAction(e.getCause())) {
        log.debug("aws: " + api + " " + instance + ": no active lifecycle action (completed elsewhere or timed out)");
        return false;
      }
      throw e;
    }
  }

  /** AWS's answer for an action that is not waiting (any more). */
  static boolean noActiveAction(Throwable e) {
    Throwable cause = e instanceof AwsException ? e.getCause() : e;
    return cause instanceof AwsServiceException s && s.awsErrorDetails() != null
        && "ValidationError".equals(s.awsErrorDetails().errorCode())
        && String.valueOf(s.awsErrorDetails().errorMessage()).startsWith("No active Lifecycle Action");
  }

  private <T> T call(Group group, String api, String resource,
      java.util.function.Function<AutoScalingClient, T> request) {
    String action = "autoscaling:" + api;
    String where = "";
    try {
      AwsSession aws = session();
      AwsPair pair = aws.pairOf(group.region(), group.account());
      where = aws.namesPairs() ? "AWS " + pair + ": " : "";
      Supplier<T> once = () -> request.apply(aws.clients(pair).autoScaling());
      T result = new AwsCall("autoscaling", api, resource).once(once);
      log.debug("aws: " + api + " (" + resource + ")");
      return result;
    } catch (AwsException e) {
      throw new LifecycleException(action, where + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(action, "AWS " + api + " (" + resource + "): " + e.getMessage(), e);
    }
  }

  private synchronized AwsSession session() {
    if (session == null) {
      session = sessions.lease(settings, environment, log);
    }
    return session.session();
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
    }
  }
}
