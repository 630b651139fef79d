package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.pkg.ModelPackage;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code conduit models test}: see its {@code description}. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Runs a package's golden tests (tests/CASE/input.NAME.npy, expected.NAME.npy) on every route"
                + " available here: the CPU, a usable GPU, the remote service; reports the largest error per output.")
final class ModelsTest extends ModelsSubcommand {
    @Parameters(paramLabel = "PACKAGE", description = "A package folder or .zip, or NAME[@VERSION|@ALIAS].")
    String reference;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        var config = engine.config();
        try (ModelPackage pkg = PackageReference.open(reference, registry, spec.commandLine().getErr());
             var routing = EngineOptions.newEngine(config)) {
            var golden = io.conduit.core.pkg.GoldenTests.of(pkg);
            if (golden.isEmpty()) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, pkg.manifest().coordinate()
                        + " has no golden tests; add tests/CASE/input.NAME.npy and expected.NAME.npy, then conduit seal");
            }
            java.util.List<io.conduit.core.pkg.GoldenTests.Result> results = new java.util.ArrayList<>(
                    golden.run(routing, io.conduit.core.engine.DevicePreference.CPU));
            if (routing.local().gpuProblem(pkg).isEmpty()) {
                results.addAll(golden.run(routing, io.conduit.core.engine.DevicePreference.GPU));
            }
            if (routing.remote().isPresent()) {
                results.addAll(golden.run(routing, io.conduit.core.engine.DevicePreference.REMOTE));
            }
            JsonArray all = new JsonArray();
            for (var r : results) {
                JsonObject o = new JsonObject();
                o.addProperty("route", r.route());
                o.addProperty("case", r.testCase());
                o.addProperty("output", r.output());
                o.addProperty("maxAbsError", r.maxAbsError());
                o.addProperty("tolerance", r.tolerance());
                o.addProperty("passed", r.passed());
                all.add(o);
                if (!json.enabled) {
                    out().printf("%-5s %-12s case %-12s output %-12s max error %.3g (tolerance %.3g)%n",
                            r.passed() ? "ok" : "FAIL", r.route(), r.testCase(), r.output(), r.maxAbsError(),
                            r.tolerance());
                }
            }
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.addProperty("model", pkg.manifest().coordinate());
                o.add("results", all);
                json.print(out(), o);
            }
            return results.stream().allMatch(io.conduit.core.pkg.GoldenTests.Result::passed) ? 0
                    : ErrorCode.INFERENCE_FAILED.exitStatus();
        }
    }
}
