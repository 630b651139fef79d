package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Lineage;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.onnx.SignatureCheck;
import io.conduit.core.pkg.ModelPackage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conduit inspect}: the signature, manifest and lineage of a package, or an ONNX file's signature. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints a package's signature, manifest and lineage (verifying every file's sha256 and that the"
                + " manifest matches the ONNX file), or the signature of a bare ONNX file.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PACKAGE|MODEL.onnx")
    Path target;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path fileName = target.getFileName();
        if (fileName != null && fileName.toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            OnnxSignature signature = OnnxModels.readSignature(target);
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.add("signature", signatureJson(signature));
                json.print(out, o);
            } else {
                out.println(target.getFileName() + " (ONNX file, no manifest)");
                printSignature(out, signature, null);
            }
            return 0;
        }
        try (ModelPackage pkg = ModelPackage.open(target)) {
            OnnxSignature signature = OnnxModels.readSignature(pkg.modelFile());
            SignatureCheck.check(pkg.manifest(), signature);
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.add("manifest", ManifestWriter.toTree(pkg.manifest()));
                o.add("signature", signatureJson(signature));
                o.addProperty("verified", true);
                json.print(out, o);
            } else {
                printPackage(out, pkg.manifest(), signature);
            }
        }
        return 0;
    }

    private static void printPackage(PrintWriter out, Manifest m, OnnxSignature signature) {
        out.println(m.coordinate() + "  (schema " + m.schemaVersion() + ", every file's sha256 verified, manifest matches the ONNX file)");
        if (!m.description().isBlank()) {
            out.println("  " + m.description());
        }
        out.println("  authors: " + String.join(", ", m.authors()));
        printSignature(out, signature, m);
        var r = m.requirements();
        out.println("Requirements: " + r.gpuMemoryMiB() + " MiB of GPU memory, CPU " + (r.cpuAllowed() ? "allowed" : "not allowed")
                + ", precision " + r.precision());
        out.println("Hosts:" + (m.hosts().isEmpty() ? " none declared" : ""));
        for (Map.Entry<String, HostEntry> host : m.hosts().entrySet()) {
            HostEntry h = host.getValue();
            out.println("  " + host.getKey() + ": \"" + h.label() + "\" in " + h.category() + ", "
                    + h.parameters().size() + " parameter(s)"
                    + (h.parameters().isEmpty() ? "" : ": " + String.join(", ",
                    h.parameters().stream().map(p -> p.name() + " (" + p.type() + ", default " + p.defaultValue() + ")").toList())));
        }
        printLineage(out, m.lineage());
        out.println("Assets: " + (m.assets().isEmpty() ? "none declared" : String.join(", ", m.assets())));
        out.println("Files:");
        m.files().forEach((file, sha) -> out.println("  " + file + "  sha256 " + sha));
    }

    private static void printSignature(PrintWriter out, OnnxSignature signature, Manifest m) {
        out.println("Signature:");
        for (OnnxSignature.Port p : signature.inputs()) {
            out.println("  in   " + p.describe() + (m == null ? "" : meaning(m.input(p.name()).orElse(null))));
        }
        for (OnnxSignature.Port p : signature.outputs()) {
            out.println("  out  " + p.describe() + (m == null ? "" : meaning(m.output(p.name()).orElse(null))));
        }
    }

    private static String meaning(TensorSpec s) {
        if (s == null) {
            return "";
        }
        return "  layout " + s.layout().jsonName() + ", role " + s.role().jsonName()
                + s.valueRange().map(v -> ", range [" + v.min() + ", " + v.max() + "]").orElse("")
                + s.colorSpace().map(c -> ", " + c).orElse("");
    }

    private static void printLineage(PrintWriter out, Lineage l) {
        out.println("Lineage:");
        out.println("  created by " + l.createdBy() + " at " + l.createdAt());
        l.code().ifPresent(c -> out.println("  code: " + c.repository() + " @ " + c.commit()
                + c.path().map(p -> " (" + p + ")").orElse("") + (c.dirty() ? " with uncommitted changes" : "")));
        l.framework().ifPresent(f -> out.println("  framework: " + f.name() + " " + f.version()));
        l.exporter().ifPresent(e -> out.println("  exporter: " + e.name() + " " + e.version()
                + e.opset().map(o -> ", opset " + o).orElse("")));
        out.println("  parents: " + (l.parents().isEmpty() ? "none (a root model)" : String.join(" <- ", l.parents())));
        if (l.trainingData().isEmpty()) {
            out.println("  training data: none recorded");
        }
        l.trainingData().forEach(d -> out.println("  training data: " + d.uri() + "  sha256 " + d.sha256()));
        l.metrics().forEach((k, v) -> out.println("  metric " + k + ": " + v));
    }

    private static JsonObject signatureJson(OnnxSignature signature) {
        JsonObject o = new JsonObject();
        o.add("inputs", ports(signature.inputs()));
        o.add("outputs", ports(signature.outputs()));
        o.addProperty("producer", signature.producer());
        return o;
    }

    private static JsonArray ports(java.util.List<OnnxSignature.Port> ports) {
        JsonArray array = new JsonArray();
        for (OnnxSignature.Port p : ports) {
            JsonObject j = new JsonObject();
            j.addProperty("name", p.name());
            j.addProperty("datatype", p.datatype().name());
            j.add("shape", CliJson.shape(p.shape()));
            JsonArray names = new JsonArray();
            for (String n : p.dimensionNames()) {
                names.add(n);
            }
            j.add("dimensionNames", names);
            array.add(j);
        }
        return array;
    }
}
