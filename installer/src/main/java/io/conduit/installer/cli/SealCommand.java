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

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Manifest m = PackageWriter.reseal(pkg);
        if (json.enabled) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("sealed", m.coordinate());
            com.google.gson.JsonObject files = new com.google.gson.JsonObject();
            m.files().forEach(files::addProperty);
            o.add("files", files);
            json.print(spec.commandLine().getOut(), o);
            return 0;
        }
        spec.commandLine().getOut().println("sealed " + m.coordinate() + ": " + m.files().size() + " file(s) recorded");
        return 0;
    }
}
