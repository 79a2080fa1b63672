/**
 * The fleet: one node discovers and publishes the inventory to S3, every balancer reads it from there. No new
 * infrastructure, one set of Describe calls per fleet instead of one per balancer, and the same inventory, so the
 * same config, on every node. The balancers' drain reports live in S3 too ({@link dev.haproxysd.fleet.DrainReports},
 * under {@link dev.haproxysd.fleet.S3Prefix} {@code s3://BUCKET/PREFIX/}, one {@link dev.haproxysd.fleet.DrainReport}
 * each; a failed request is a {@link dev.haproxysd.fleet.DrainReportException} naming the IAM action).
 *
 * <p>Entry points: {@link dev.haproxysd.fleet.FleetInventory} ({@code publish}, and {@code reader}, a {@link
 * dev.haproxysd.discovery.Source}), {@link dev.haproxysd.fleet.S3Location} ({@code s3://BUCKET/KEY}), and the two
 * failures a reader or publisher reports: {@link dev.haproxysd.fleet.StaleInventoryException} and {@link
 * dev.haproxysd.fleet.S3InventoryException}.
 *
 * <p>The S3 SDK module is loaded only through this package, and only when an {@code s3://} URL is used.
 */
package dev.haproxysd.fleet;
