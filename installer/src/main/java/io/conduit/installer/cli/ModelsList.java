package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.registry.Registry;
import io.conduit.core.registry.VersionRecord;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code conduit models list}: see its {@code description}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists models, their versions (who published each, whether it is signed or yanked) and aliases.")
final class ModelsList extends ModelsSubcommand {
    @Override
    public Integer call() {
        Registry r = registry.open();
        JsonArray all = new JsonArray();
        for (String name : r.models()) {
            List<SemVer> versions = r.versions(name);
            JsonObject o = new JsonObject();
            o.addProperty("name", name);
            JsonArray vs = new JsonArray();
            versions.forEach(v -> vs.add(v.toString()));
            o.add("versions", vs);
            JsonArray details = new JsonArray();
            List<String> lines = new ArrayList<>();
            for (SemVer v : versions) {
                VersionRecord record = r.record(name, v);
                JsonObject d = new JsonObject();
                d.addProperty("version", v.toString());
                d.addProperty("publisher", record.publishedBy());
                d.addProperty("publishedAt", record.publishedAt());
                d.addProperty("signed", record.signature() != null);
                if (record.signature() != null) {
                    d.addProperty("signedBy", record.signature().keyId());
                }
                d.addProperty("yanked", record.yanked() != null);
                if (record.yanked() != null) {
                    d.addProperty("yankReason", record.yanked().reason());
                }
                details.add(d);
                lines.add("  " + v + "  by " + record.publishedBy() + "  "
                        + (record.signature() != null ? "signed (" + record.signature().keyId() + ")" : "unsigned")
                        + (record.yanked() != null ? "  YANKED: " + record.yanked().reason() : ""));
            }
            o.add("details", details);
            JsonObject aliases = new JsonObject();
            r.aliases(name).forEach((a, v) -> aliases.addProperty(a, v.toString()));
            o.add("aliases", aliases);
            all.add(o);
            if (!json.enabled) {
                out().println(name + (r.aliases(name).isEmpty() ? "" : "  aliases " + r.aliases(name)));
                lines.forEach(out()::println);
            }
        }
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.add("models", all);
            json.print(out(), o);
        } else if (all.isEmpty()) {
            out().println("no models in " + r.describe());
        }
        return 0;
    }
}
