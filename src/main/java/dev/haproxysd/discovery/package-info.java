/**
 * Where inventories come from. Every {@link dev.haproxysd.discovery.Source} yields a whole inventory or fails: a
 * partial inventory is never returned.
 *
 * <p>Entry points: {@link dev.haproxysd.discovery.Source} (a file source reads {@link
 * dev.haproxysd.model.InventoryJson}), {@link dev.haproxysd.discovery.AwsQuery} (what {@link dev.haproxysd.discovery.Source#aws} asks AWS) and {@link
 * dev.haproxysd.discovery.ApiCalls} (how many calls a discovery made).
 *
 * <p>The AWS plumbing lives here: clients are built per run, only for the sources used, with one URL-connection
 * HTTP client, STANDARD retries and call/attempt timeouts; every SDK failure becomes a one-line {@link
 * dev.haproxysd.discovery.DiscoveryException}. {@link dev.haproxysd.discovery.AwsClients} (for its S3 client) and
 * {@link dev.haproxysd.discovery.AwsFailure} are public for the fleet package, the one other AWS SDK user.
 */
package dev.haproxysd.discovery;
