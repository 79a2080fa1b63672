/**
 * Where inventories come from. Every {@link dev.haproxysd.discovery.Source} yields a whole inventory or fails: a
 * partial inventory is never returned.
 *
 * <p>Entry points: {@link dev.haproxysd.discovery.Source} (a file source reads {@link
 * dev.haproxysd.model.InventoryJson}) and {@link dev.haproxysd.discovery.AwsQuery} (what {@link
 * dev.haproxysd.discovery.Source#aws} asks AWS).
 *
 * <p>The AWS sources get their clients from {@link dev.haproxysd.aws.AwsSession}, one set per (account, region)
 * pair, discover the pairs concurrently and merge them; every failure becomes a one-line {@link
 * dev.haproxysd.discovery.DiscoveryException} that names the pair when the run has several.
 */
package dev.haproxysd.discovery;
