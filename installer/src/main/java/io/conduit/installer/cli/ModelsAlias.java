package io.conduit.installer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models alias}: see its {@code description}. */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Points an alias (stable, beta, ...) at a version.")
final class ModelsAlias extends ModelsSubcommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION")
    String target;

    @Override
    public Integer call() {
        registry.open().setAlias(name, alias, version(target));
        out().println(name + " " + alias + " -> " + target);
        return 0;
    }
}
