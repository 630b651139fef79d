package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.registry.Registry;
import io.conduit.core.registry.RolloutRule;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models rules NAME}: the rollout rules {@code models rollout} set, as the registry holds them. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Lists a model's rollout rules (studio, show, department, user) and the aliases they name.")
final class ModelsRules extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Registry r = registry.open();
        List<RolloutRule> rules = r.rules(name);
        if (json.enabled) {
            JsonArray list = new JsonArray();
            rules.forEach(rule -> list.add(rule.toJson()));
            JsonObject o = new JsonObject();
            o.addProperty("model", name);
            o.add("rules", list);
            JsonObject aliases = new JsonObject();
            r.aliases(name).forEach((a, v) -> aliases.addProperty(a, v.toString()));
            o.add("aliases", aliases);
            json.print(out(), o);
        } else if (rules.isEmpty()) {
            out().println(name + " has no rollout rules in " + r.describe() + "; artists get the newest version");
        } else {
            rules.forEach(rule -> out().println(rule.describe()));
        }
        out().flush();
        return 0;
    }
}
