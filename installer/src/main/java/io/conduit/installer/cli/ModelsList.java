package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.registry.Registry;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code conduit models list}: see its {@code description}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists models, their versions and aliases.")
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
            JsonObject aliases = new JsonObject();
            r.aliases(name).forEach((a, v) -> aliases.addProperty(a, v.toString()));
            o.add("aliases", aliases);
            all.add(o);
            if (!json.enabled) {
                out().println(name + "  " + versions + (r.aliases(name).isEmpty() ? "" : "  aliases " + r.aliases(name)));
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
