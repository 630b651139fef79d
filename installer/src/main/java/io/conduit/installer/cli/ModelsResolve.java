package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.registry.Resolution;
import io.conduit.core.registry.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models resolve}: see its {@code description}. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Prints the version an artist gets and the rule that chose it. Scope defaults to the"
                + " launcher's environment (scope.showVariable, scope.departmentVariable) and the user name.")
final class ModelsResolve extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--show", description = "Resolve as an artist on this show. Default: $SHOW (scope.showVariable).")
    String show;

    @Option(names = {"--dept", "--department"}, description = "Resolve as an artist in this department. Default: $DEPT.")
    String department;

    @Option(names = "--user", description = "Resolve as this user. Default: the current user.")
    String user;

    @Override
    public Integer call() {
        var context = registry.context(show, department, user);
        Resolution r = registry.open().resolve(name, context);
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("model", r.model());
            o.addProperty("version", r.version().toString());
            o.addProperty("rule", r.chosenBy());
            o.addProperty("show", context.show());
            o.addProperty("department", context.department());
            o.addProperty("user", context.user());
            json.print(out(), o);
        } else {
            out().println(r.coordinate() + "  (" + r.chosenBy() + "; show \"" + context.show() + "\", department \""
                    + context.department() + "\", user \"" + context.user() + "\")");
        }
        return 0;
    }
}
