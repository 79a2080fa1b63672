package dev.haproxysd.cli;

import com.google.gson.stream.JsonWriter;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Server;
import dev.haproxysd.pipeline.ChangeSet;
import dev.haproxysd.pipeline.Plan;
import dev.haproxysd.pipeline.Route;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * {@code diff --format json}: what {@code apply} would do, and the change set since the inventory the last apply
 * came from. Versioned like the inventory JSON; fields are only ever added.
 */
final class ChangeSetJson {
  static final int VERSION = 1;

  private ChangeSetJson() {}

  static void write(Plan plan, Writer out) throws IOException {
    ChangeSet changes = plan.changeSet();
    JsonWriter json = new JsonWriter(out);
    json.setIndent("  ");
    json.beginObject();
    json.name("version").value(VERSION);
    json.name("configFile").value(plan.target().toString());
    json.name("changed").value(plan.wouldChange());
    json.name("action").value(plan.action().name().toLowerCase(Locale.ROOT));
    json.name("installedSha256").value(plan.current() == null ? null : Sha256.of(plan.current()).hex());
    json.name("renderedSha256").value(plan.desired().sha256().hex());
    json.name("appliedSha256").value(plan.applied() == null ? null : plan.applied().configSha256().hex());
    json.name("baseline").value(changes.baselineKnown() ? "state" : "none");
    Route route = plan.route();
    json.name("route").beginObject();
    json.name("path").value(route.path().name().toLowerCase(Locale.ROOT));
    json.name("runtimeChanges").value(route.runtimeChanges());
    json.name("reason").value(route.path() == Route.Path.RELOAD ? route.reason() : null);
    json.endObject();
    json.name("services").beginObject();
    strings(json, "added", changes.servicesAdded());
    strings(json, "removed", changes.servicesRemoved());
    json.endObject();
    json.name("servers").beginObject();
    refs(json, "added", changes.serversAdded());
    refs(json, "removed", changes.serversRemoved());
    json.name("changed").beginArray();
    for (ChangeSet.ServerChange change : changes.serversChanged()) {
      json.beginObject();
      json.name("service").value(change.service());
      json.name("id").value(change.after().id());
      strings(json, "fields", change.fields());
      json.name("before");
      server(json, change.before());
      json.name("after");
      server(json, change.after());
      json.endObject();
    }
    json.endArray();
    json.endObject();
    json.endObject();
    json.flush();
    out.write('\n');
    out.flush();
  }

  private static void strings(JsonWriter json, String name, List<String> values) throws IOException {
    json.name(name).beginArray();
    for (String v : values) {
      json.value(v);
    }
    json.endArray();
  }

  private static void refs(JsonWriter json, String name, List<ChangeSet.ServerRef> refs) throws IOException {
    json.name(name).beginArray();
    for (ChangeSet.ServerRef ref : refs) {
      json.beginObject();
      json.name("service").value(ref.service());
      serverFields(json, ref.server());
      json.endObject();
    }
    json.endArray();
  }

  private static void server(JsonWriter json, Server s) throws IOException {
    json.beginObject();
    serverFields(json, s);
    json.endObject();
  }

  private static void serverFields(JsonWriter json, Server s) throws IOException {
    json.name("id").value(s.id());
    json.name("name").value(s.name());
    json.name("address").value(s.address().getHostAddress());
    json.name("port").value(s.port());
    json.name("weight").value(s.weight());
    json.name("state").value(s.state().id());
    json.name("zone").value(s.zone());
  }
}
