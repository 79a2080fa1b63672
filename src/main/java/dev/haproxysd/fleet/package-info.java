/**
 * The fleet: one node discovers and publishes the inventory to S3, every balancer reads it from there. No new
 * infrastructure, one set of Describe calls per fleet instead of one per balancer, and the same inventory, so the
 * same config, on every node.
 *
 * <p>Entry points: {@link dev.haproxysd.fleet.FleetInventory} ({@code publish}, and {@code reader}, a {@link
 * dev.haproxysd.discovery.Source}), {@link dev.haproxysd.fleet.S3Location} ({@code s3://BUCKET/KEY}), and the two
 * failures a reader or publisher reports: {@link dev.haproxysd.fleet.StaleInventoryException} and {@link
 * dev.haproxysd.fleet.S3InventoryException}.
 *
 * <p>The S3 SDK module is loaded only through this package, and only when an {@code s3://} URL is used.
 */
package dev.haproxysd.fleet;
