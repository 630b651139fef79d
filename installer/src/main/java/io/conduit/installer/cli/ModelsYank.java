package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.registry.VersionRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models yank}: see its {@code description}. */
@Command(name = "yank", mixinStandardHelpOptions = true,
        description = "Withdraws a published version: resolution skips it, whoever pins it is warned with the reason,"
                + " and nothing is deleted.")
final class ModelsYank extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION")
    String coordinate;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why, in words the artists who pinned it will read.")
    String reason;

    @Override
    public Integer call() {
        Coordinate c = coordinate(coordinate);
        VersionRecord yanked = registry.open().yank(c.name(), c.version(), reason, System.getProperty("user.name", "unknown"));
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("yanked", yanked.coordinate());
            o.add("yank", yanked.yanked().toJson());
            json.print(out(), o);
        } else {
            out().println(yanked.coordinate() + " " + yanked.yanked().describe());
        }
        return 0;
    }
}
