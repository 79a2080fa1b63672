/**
 * Auto Scaling lifecycle hooks: what the hooks of a group are, and completing or extending the lifecycle action of
 * an instance the group holds in {@code Terminating:Wait}. Decisions (when an instance is drained) live in the
 * pipeline; this package only makes the calls and says what they did.
 *
 * <p>Entry points: {@link dev.haproxysd.lifecycle.LifecycleHooks} (the calls of one run, each in the (account,
 * region) pair of its group, through {@link dev.haproxysd.aws.AwsSession}), {@link
 * dev.haproxysd.lifecycle.LifecycleHook} (a hook as DescribeLifecycleHooks tells it) and {@link
 * dev.haproxysd.lifecycle.LifecycleException} (a call that failed: one line naming the IAM action).
 */
package dev.haproxysd.lifecycle;
