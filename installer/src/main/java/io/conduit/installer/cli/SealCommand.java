package io.conduit.installer.cli;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.PackageWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conduit seal}: records every file of a package folder in its manifest after a TD edits it. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        description = "Records the sha256 of every file in a package folder (after adding golden tests under tests/,"
                + " or replacing weights) in its conduit.json, validating the result first.")
final class SealCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PACKAGE")
    Path pkg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Manifest m = PackageWriter.reseal(pkg);
        spec.commandLine().getOut().println("sealed " + m.coordinate() + ": " + m.files().size() + " file(s) recorded");
        return 0;
    }
}
