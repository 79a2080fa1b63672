/**
 * The inventory: immutable, validated, sorted values shared by every stage of a run.
 *
 * <p>Entry points: {@link dev.haproxysd.model.Inventory}, {@link dev.haproxysd.model.Service},
 * {@link dev.haproxysd.model.Server} and {@link dev.haproxysd.model.SafeValue}, the one place that decides
 * which strings may reach an haproxy directive.
 */
package dev.haproxysd.model;
