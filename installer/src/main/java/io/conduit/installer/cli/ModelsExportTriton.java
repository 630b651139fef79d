package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.triton.TritonExport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models export-triton}: see its {@code description}. */
@Command(name = "export-triton", mixinStandardHelpOptions = true,
        description = "Writes a Triton model repository (NAME/N/model.onnx with its external data, NAME/config.pbtxt)"
                + " holding the version each registry model resolves to for you, or the named models. Each semantic"
                + " version gets the next integer version, recorded in config.pbtxt with its manifest sha256 so"
                + " Conduit's clients route to it and check it; exporting again never overwrites a version.")
final class ModelsExportTriton extends ModelsSubcommand {
    @Parameters(index = "0", paramLabel = "DIR")
    Path out;

    @Parameters(index = "1..*", paramLabel = "MODEL", description = "NAME[@VERSION|@ALIAS]; default: every model.")
    java.util.List<String> models = new java.util.ArrayList<>();

    @Option(names = "--max-batch-size", defaultValue = "8", description = "For models whose manifest layouts lead"
            + " with a batch axis (NCHW, NHWC, batched points, vectors). Default: ${DEFAULT-VALUE}.")
    int maxBatchSize;

    @Override
    public Integer call() {
        java.util.List<String> names = models.isEmpty() ? registry.open().models() : models;
        JsonArray exported = new JsonArray();
        for (String reference : names) {
            try (ModelPackage pkg = PackageReference.open(reference, registry, spec.commandLine().getErr())) {
                TritonExport.Result r = TritonExport.export(pkg, out, maxBatchSize);
                JsonObject o = new JsonObject();
                o.addProperty("model", pkg.manifest().name());
                o.addProperty("version", pkg.manifest().version().toString());
                o.addProperty("tritonVersion", r.version().number());
                o.addProperty("manifestSha256", r.version().manifestSha256());
                o.addProperty("folder", r.modelDir().resolve(Long.toString(r.version().number())).toString());
                o.addProperty("alreadyExported", r.alreadyThere());
                JsonArray files = new JsonArray();
                r.files().forEach(files::add);
                o.add("files", files);
                exported.add(o);
                if (!json.enabled) {
                    out().println((r.alreadyThere() ? "already exported " : "exported ") + pkg.manifest().coordinate()
                            + " as Triton version " + r.version().number() + " in " + r.modelDir());
                }
            }
        }
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("repository", out.toString());
            o.add("exported", exported);
            json.print(out(), o);
        }
        return 0;
    }
}
