/**
 * Where inventories come from. Every {@link dev.haproxysd.discovery.Source} yields a whole inventory or fails: a
 * partial inventory is never returned.
 *
 * <p>Entry points: {@link dev.haproxysd.discovery.Source} (a file source reads {@link
 * dev.haproxysd.model.InventoryJson}), {@link dev.haproxysd.discovery.AwsQuery} (what {@link dev.haproxysd.discovery.Source#aws} asks AWS) and {@link
 * dev.haproxysd.discovery.ApiCalls} (how many calls a discovery made).
 *
 * <p>This is the only package that imports the AWS SDK. Its clients are built per run, only for the sources used,
 * with one URL-connection HTTP client, STANDARD retries and call/attempt timeouts; every SDK failure becomes a
 * one-line {@link dev.haproxysd.discovery.DiscoveryException}.
 */
package dev.haproxysd.discovery;
