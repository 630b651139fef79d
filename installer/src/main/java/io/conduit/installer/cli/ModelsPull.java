package io.conduit.installer.cli;

import io.conduit.core.pkg.ModelPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models pull}: see its {@code description}. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Copies a version into the local cache (verifying every file) and prints where.")
final class ModelsPull extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION|ALIAS")
    String coordinate;

    @Override
    public Integer call() {
        Coordinate c = coordinate(coordinate, registry.open());
        try (ModelPackage pkg = registry.modelCache().pull(registry.open(), c.name(), c.version(),
                new TerminalProgress())) {
            out().println(pkg.root());
        }
        return 0;
    }
}
