/**
 * AWS plumbing shared by every AWS user of a run (the discovery sources, the lifecycle hooks and the S3 inventory,
 * read or published): the (account, region) pairs, their SDK clients, the credential chain with assumed roles and
 * web identity, the endpoint override, retries and timeouts, one-line failures and call counting.
 *
 * <p>Entry points: {@link dev.haproxysd.aws.AwsSettings} (what the options say), {@link
 * dev.haproxysd.aws.AwsSession} (one run: {@code pairs()}, {@code clients(pair)}, {@code calls()}), {@link
 * dev.haproxysd.aws.AwsClients} (one pair's clients, {@code client(name, builder)} for any further service), {@link
 * dev.haproxysd.aws.AwsCall} (every request: paging, and an {@link dev.haproxysd.aws.AwsException} naming API,
 * resource and the IAM action on failure), {@link dev.haproxysd.aws.ApiCalls} and {@link
 * dev.haproxysd.aws.AwsEnvironment} (the environment and profile files, a seam for tests), {@link
 * dev.haproxysd.aws.Warmup} (the SDK's start-up on another thread while the command line is parsed).
 *
 * <p>Only this package and the AWS-backed sources and features import the AWS SDK. The one-line failures
 * ({@code AwsFailure}) name the options an operator would check ({@code --profile}, {@code --aws-timeout}, ...):
 * they are worded where the SDK's exception is understood, not in {@code cli}.
 */
package dev.haproxysd.aws;
