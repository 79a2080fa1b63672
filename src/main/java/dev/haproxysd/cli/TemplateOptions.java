package dev.haproxysd.cli;

import dev.haproxysd.render.TemplateEngine;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** Which template renders the config, and the variables it gets. */
final class TemplateOptions {
  @Option(names = {"-t", "--template"}, paramLabel = "TEMPLATE", defaultValue = TemplateEngine.DEFAULT_TEMPLATE,
      description = "builtin:NAME or a FreeMarker template file (default: ${DEFAULT-VALUE}). "
          + "Built-in NAMEs: asg-http (HTTP in front of Auto Scaling groups), "
          + "cloudmap-hosts (Host-header ingress for Cloud Map services, with /stats and /metrics), "
          + "tls-edge (terminates TLS; :80 redirects to https), "
          + "dns-srv (DNS SRV server-templates for Cloud Map DNS namespaces). "
          + "The README lists each one's --var settings.")
  String template;

  @Option(names = "--var", paramLabel = "KEY=VALUE",
      description = "A template variable, read as vars.KEY (repeatable). Values must be letters, digits and "
          + "_ . / : @ + = - (checked when the template reads them).")
  Map<String, String> vars = new TreeMap<>();

  SortedMap<String, String> vars() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(vars));
  }
}
