/**
 * Turns an inventory into haproxy.cfg text with one locked-down FreeMarker configuration.
 *
 * <p>Entry points: {@link dev.haproxysd.render.TemplateEngine} (load once, render many) and {@link
 * dev.haproxysd.render.Rendered}; {@link dev.haproxysd.render.TemplateRef} (which template, and its files read again
 * without FreeMarker), {@link dev.haproxysd.render.LazyTemplateEngine} (parsed on first use) and {@link
 * dev.haproxysd.render.TemplateReads} (the files a render read). Templates see a data model of plain strings, numbers and booleans; tags,
 * attributes and {@code --var} values pass {@link dev.haproxysd.model.SafeValue} checks when read.
 */
package dev.haproxysd.render;
