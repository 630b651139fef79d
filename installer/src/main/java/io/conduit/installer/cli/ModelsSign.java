package io.conduit.installer.cli;

import io.conduit.core.registry.VersionRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models sign}: see its {@code description}. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Signs a published version with the signing key (--signing-key or registry.signingKey), keeping"
                + " its version number: for versions published before keys were set up.")
final class ModelsSign extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION")
    String coordinate;

    @Override
    public Integer call() {
        Coordinate c = coordinate(coordinate);
        VersionRecord signed = registry.open().sign(c.name(), c.version());
        out().println("signed " + signed.coordinate() + " with key " + signed.signature().keyId());
        return 0;
    }
}
