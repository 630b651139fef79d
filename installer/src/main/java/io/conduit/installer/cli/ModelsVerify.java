package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.Registry;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models verify}: see its {@code description}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks a version's signature against the trust store and every file's sha256.")
final class ModelsVerify extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION|ALIAS")
    String coordinate;

    @Override
    public Integer call() {
        Registry r = registry.open();
        Coordinate c = coordinate(coordinate, r);
        // Checked before the scratch folder exists, so a refused signature leaves nothing behind.
        var outcome = r.verifySignature(c.name(), c.version());
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("conduit-verify-");
        } catch (java.io.IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot create a temporary folder: " + e.getMessage());
        }
        try (ModelPackage pkg = r.pull(c.name(), c.version(), scratch)) {
            String signature = switch (outcome) {
                case VERIFIED -> "signature verified";
                case UNSIGNED_ACCEPTED -> "unsigned (accepted: registry.allowUnsigned)";
                case NOT_CHECKED -> "signed, but NOT checked (no trust store configured)";
            };
            out().println(pkg.manifest().coordinate() + ": " + signature + "; " + pkg.manifest().files().size()
                    + " file digest(s) verified");
        } finally {
            io.conduit.core.io.FileTrees.deleteQuietly(scratch);
        }
        return 0;
    }
}
