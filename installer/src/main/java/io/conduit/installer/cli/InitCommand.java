package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageDraft;
import io.conduit.core.pkg.PackageWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conduit init}: a new package from an ONNX file, with a draft manifest for a TD to edit. */
@Command(name = "init",
        description = {"Creates a model package from an ONNX file: copies the model, reads its signature and writes"
                + " a draft conduit.json.", "Review the draft's layouts, roles, value ranges, requirements, hosts and"
                + " lineage before publishing (see docs/model-package.md)."})
final class InitCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX file to package.")
    Path onnx;

    // No standard -V/--version here: --version names the package's version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--name", required = true, description = "Package name: lowercase letters, digits, '.', '_', '-'.")
    String name;

    @Option(names = "--version", required = true, description = "Semantic version, e.g. 1.0.0.")
    String version;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new package folder (must not exist).")
    Path out;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new ConduitException(ErrorCode.USAGE, "--name \"" + name + "\" is not a valid package name; expected"
                    + " lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        SemVer semver;
        try {
            semver = SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, "--version " + e.getMessage());
        }
        OnnxSignature signature = OnnxModels.readSignature(onnx);
        Manifest draft = PackageDraft.draft(signature, name, semver, Files.size(onnx), onnx.getFileName().toString());
        Manifest written = PackageWriter.write(draft, onnx, out);
        try (ModelPackage check = ModelPackage.open(out)) {
            // Proves the draft is a valid package before the TD starts editing it.
            check.manifest();
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("package", out.toString());
            o.add("manifest", ManifestWriter.toTree(written));
            json.print(w, o);
        } else {
            w.println("wrote package " + out + " (" + written.coordinate() + ")");
            signature.inputs().forEach(p -> w.println("  input  " + p.describe()));
            signature.outputs().forEach(p -> w.println("  output " + p.describe()));
            w.println("next: edit " + out.resolve(ModelPackage.MANIFEST) + " (layouts, roles, value ranges, requirements,"
                    + " hosts, lineage), then run conduit inspect " + out);
        }
        return 0;
    }
}
