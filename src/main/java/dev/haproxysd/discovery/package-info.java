/**
 * Where inventories come from. Every {@link dev.haproxysd.discovery.Source} yields a whole inventory or fails: a
 * partial inventory is never returned.
 *
 * <p>Entry points: {@link dev.haproxysd.discovery.Source}, {@link dev.haproxysd.discovery.InventoryJson} (the
 * versioned JSON form read by {@code --inventory} and written by {@code discover -o json}).
 */
package dev.haproxysd.discovery;
