package io.conduit.installer.cli;

import io.conduit.installer.setup.Installer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conduit uninstall}: removes exactly what {@code conduit install} added, and restores edited files. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = {"Removes what conduit install added: its files (unless changed since) and its block in your"
                + " scripts, which are restored byte for byte from their backups when you have not changed them."})
final class UninstallCommand implements Callable<Integer> {
    @Option(names = "--scope", arity = "1..2", paramLabel = "user|studio DIR", description = "user, or studio DIR.")
    List<String> scope = new ArrayList<>(List.of("user"));

    @Option(names = "--home", paramLabel = "DIR", description = "Act on this home folder instead of $HOME.")
    Path home;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Installer installer = new Installer(InstallCommand.Target.of(scope, home).record());
        installer.uninstall();
        if (json.enabled) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            com.google.gson.JsonArray done = new com.google.gson.JsonArray();
            installer.report().forEach(done::add);
            o.add("report", done);
            json.print(spec.commandLine().getOut(), o);
        } else {
            installer.report().forEach(spec.commandLine().getOut()::println);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
