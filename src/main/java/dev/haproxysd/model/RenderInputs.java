package dev.haproxysd.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Everything a render's output depends on: rendering is a pure function of these, so equal digests mean equal
 * output. The digest is what {@code apply} records ({@link RenderKey}) to skip the next render when nothing changed.
 *
 * <pre>{@code
 * Sha256 key = new RenderInputs(build, "builtin:asg-http", "builtin:asg-http", filesRead, vars, slots,
 *     Sha256.of(InventoryJson.bytes(inventory))).digest();
 * }</pre>
 *
 * @param build haproxy-sd's version and commit, and the Java runtime's version (a new release may render
 *     differently)
 * @param reference the template as the user named it ({@code --template})
 * @param location where that resolved to: {@code builtin:NAME} or the absolute path of the main file
 * @param files every file the template looked up while it was parsed and rendered, with its bytes' digest
 * @param vars the {@code --var} values, all of them
 * @param slots the server slots the config is rendered with (rule and assignment)
 * @param inventory the digest of the inventory's canonical JSON ({@link InventoryJson#bytes})
 */
public record RenderInputs(String build, String reference, String location, List<TemplateFile> files,
    SortedMap<String, String> vars, Slots slots, Sha256 inventory) {
  /** Changes when the meaning of the digest changes, so old keys stop matching. */
  private static final String FORMAT = "haproxy-sd render inputs 1";

  public RenderInputs {
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(location, "location");
    files = List.copyOf(files);
    Objects.requireNonNull(vars, "vars");
    Objects.requireNonNull(slots, "slots");
    Objects.requireNonNull(inventory, "inventory");
  }

  /** The SHA-256 of all inputs, each length-prefixed, so no two different inputs serialize alike. */
  public Sha256 digest() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      text(out, FORMAT);
      text(out, build);
      text(out, reference);
      text(out, location);
      out.writeInt(files.size());
      for (TemplateFile file : files.stream().sorted(java.util.Comparator.comparing(TemplateFile::name)).toList()) {
        text(out, file.name());
        text(out, file.present() ? file.sha256().hex() : "absent");
      }
      out.writeInt(vars.size());
      for (Map.Entry<String, String> var : vars.entrySet()) {
        text(out, var.getKey());
        text(out, var.getValue());
      }
      text(out, slots.rule());
      out.writeInt(slots.services().size());
      for (Map.Entry<String, List<String>> service : slots.services().entrySet()) {
        text(out, service.getKey());
        out.writeInt(service.getValue().size());
        for (String id : service.getValue()) {
          text(out, id);
        }
      }
      text(out, inventory.hex());
    } catch (IOException e) {
      throw new IllegalStateException("a ByteArrayOutputStream does not fail", e);
    }
    return Sha256.of(bytes.toByteArray());
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
