/**
 * The inventory and the small values every stage shares: immutable, validated at construction, sorted.
 *
 * <p>Entry points: {@link dev.haproxysd.model.Inventory} ({@link dev.haproxysd.model.Service}, {@link
 * dev.haproxysd.model.Server}, and for an Auto Scaling group its {@link dev.haproxysd.model.ScalingGroup}: desired
 * capacity and members' lifecycle states) and its one JSON form {@link dev.haproxysd.model.InventoryJson} (what
 * {@code discover -o json} writes, {@code --inventory} reads and the state directory keeps); {@link
 * dev.haproxysd.model.SafeValue}, the one place that decides which strings may reach an haproxy directive;
 * {@link dev.haproxysd.model.Sha256}; {@link dev.haproxysd.model.Slots}; {@link dev.haproxysd.model.RenderInputs}
 * and {@link dev.haproxysd.model.RenderKey} (what a render depends on, with each {@link
 * dev.haproxysd.model.TemplateFile} it read); the seams {@link
 * dev.haproxysd.model.Clock} and {@link dev.haproxysd.model.Log}.
 */
package dev.haproxysd.model;
