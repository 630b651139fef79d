package io.conduit.installer.cli;

import io.conduit.core.pkg.ModelPackage;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models export-triton}: see its {@code description}. */
@Command(name = "export-triton", mixinStandardHelpOptions = true,
        description = "Writes a Triton model repository (NAME/1/model.onnx, config.pbtxt) holding the version each"
                + " registry model resolves to for you, or the named models.")
final class ModelsExportTriton extends ModelsSubcommand {
    @Parameters(index = "0", paramLabel = "DIR")
    Path out;

    @Parameters(index = "1..*", paramLabel = "MODEL", description = "NAME[@VERSION|@ALIAS]; default: every model.")
    java.util.List<String> models = new java.util.ArrayList<>();

    @Option(names = "--max-batch-size", defaultValue = "8", description = "For models with a batch axis."
            + " Default: ${DEFAULT-VALUE}.")
    int maxBatchSize;

    @Override
    public Integer call() {
        java.util.List<String> names = models.isEmpty() ? registry.open().models() : models;
        for (String reference : names) {
            try (ModelPackage pkg = PackageReference.open(reference, registry, spec.commandLine().getErr())) {
                Path dir = io.conduit.core.registry.TritonExport.export(pkg, out, maxBatchSize);
                out().println("exported " + pkg.manifest().coordinate() + " to " + dir);
            }
        }
        return 0;
    }
}
