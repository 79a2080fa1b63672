package dev.haproxysd.cli;

import dev.haproxysd.model.Slots;
import dev.haproxysd.render.TemplateEngine;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

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

  // split: one config-file line can set several variables; values cannot contain ',' anyway (see below).
  @Option(names = "--var", paramLabel = "KEY=VALUE", split = ",",
      description = "A template variable, read as vars.KEY (repeatable, or comma-separated). "
          + "Values must be letters, digits and "
          + "_ . / : @ + = - (checked when the template reads them).")
  Map<String, String> vars = new TreeMap<>();

  @Option(names = "--slots", paramLabel = "N|auto", defaultValue = Slots.Rule.DEFAULT, converter = SlotRuleConverter.class,
      description = "Server slots per backend, so that scaling within them needs no reload (apply --runtime-api): "
          + "auto = the next multiple of 10 above the server count, N = N (the next multiple of N when more servers "
          + "must fit), 0 = no slots, one server line per server (default: ${DEFAULT-VALUE}). Each server keeps its "
          + "slot across runs (recorded in --state-dir).")
  Slots.Rule slots;

  /** {@code auto} or a whole number. */
  static final class SlotRuleConverter implements ITypeConverter<Slots.Rule> {
    @Override
    public Slots.Rule convert(String value) {
      try {
        return Slots.Rule.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  SortedMap<String, String> vars() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(vars));
  }
}
