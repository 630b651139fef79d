package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.onnx.SignatureCheck;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.Registry;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models publish}: see its {@code description}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a package as an immutable version, after verifying its files, that its manifest"
                + " matches its ONNX file, that the model loads, and its golden tests.")
final class ModelsPublish extends ModelsSubcommand {
    @Parameters(paramLabel = "PACKAGE")
    Path pkg;

    @Override
    public Integer call() {
        Registry r = registry.open();
        try (ModelPackage opened = ModelPackage.open(pkg)) {
            // Loads the model in the bundled ONNX Runtime too: a version nobody's runtime can open is never published.
            SignatureCheck.check(opened.manifest(), OnnxModels.readSignature(opened.modelFile()));
            var golden = io.conduit.core.pkg.GoldenTests.of(opened);
            if (!golden.isEmpty()) {
                try (var cpu = new io.conduit.core.engine.local.LocalEngine(
                        io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                        () -> io.conduit.core.engine.local.GpuStatus.none("golden tests run on the CPU"))) {
                    var failed = golden.run(cpu, io.conduit.core.engine.DevicePreference.CPU).stream()
                            .filter(t -> !t.passed()).toList();
                    if (!failed.isEmpty()) {
                        var f = failed.get(0);
                        throw new ConduitException(ErrorCode.MANIFEST_INVALID, opened.manifest().coordinate()
                                + " fails its golden tests, so it was not published: case " + f.testCase() + " output "
                                + f.output() + " is off by " + f.maxAbsError() + " (tolerance " + f.tolerance() + ")"
                                + (failed.size() > 1 ? " and " + (failed.size() - 1) + " more" : ""));
                    }
                }
            }
            Manifest m = r.publish(opened, System.getProperty("user.name", "unknown"), new TerminalProgress());
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.addProperty("published", m.coordinate());
                o.addProperty("registry", r.describe());
                json.print(out(), o);
            } else {
                out().println("published " + m.coordinate() + " to " + r.describe());
            }
        }
        return 0;
    }
}
