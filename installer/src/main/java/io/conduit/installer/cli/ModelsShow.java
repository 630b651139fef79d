package io.conduit.installer.cli;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models show}: see its {@code description}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a published version's manifest.")
final class ModelsShow extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION|ALIAS")
    String coordinate;

    @Override
    public Integer call() {
        Coordinate c = coordinate(coordinate, registry.open());
        Manifest m = registry.open().manifest(c.name(), c.version());
        json.print(out(), ManifestWriter.toTree(m));
        return 0;
    }
}
