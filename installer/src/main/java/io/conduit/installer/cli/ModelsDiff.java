package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.pkg.ModelPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models diff}: see its {@code description}. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Runs two versions on A's golden inputs (on the CPU) and reports the largest difference per output.")
final class ModelsDiff extends ModelsSubcommand {
    @Parameters(index = "0", paramLabel = "A")
    String a;

    @Parameters(index = "1", paramLabel = "B")
    String b;

    @Override
    public Integer call() {
        try (ModelPackage pa = PackageReference.open(a, registry, spec.commandLine().getErr());
             ModelPackage pb = PackageReference.open(b, registry, spec.commandLine().getErr());
             var cpu = new io.conduit.core.engine.local.LocalEngine(
                     io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                     () -> io.conduit.core.engine.local.GpuStatus.none("diff runs on the CPU"))) {
            var golden = io.conduit.core.pkg.GoldenTests.of(pa);
            if (golden.isEmpty()) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, pa.manifest().coordinate()
                        + " has no golden tests whose inputs could be compared on");
            }
            JsonArray all = new JsonArray();
            for (String testCase : golden.caseNames()) {
                var inputs = golden.inputs(testCase);
                var ra = cpu.run(pa, inputs, io.conduit.core.engine.DevicePreference.CPU);
                var rb = cpu.run(pb, inputs, io.conduit.core.engine.DevicePreference.CPU);
                for (String output : ra.outputs().keySet()) {
                    if (!rb.outputs().containsKey(output)) {
                        continue;
                    }
                    var ta = ra.output(output);
                    var tb = rb.output(output);
                    double diff = java.util.Arrays.equals(ta.shape(), tb.shape()) && ta.type() == tb.type()
                            ? io.conduit.core.tensor.TensorMetrics.maxAbsDifference(ta, tb) : Double.POSITIVE_INFINITY;
                    JsonObject o = new JsonObject();
                    o.addProperty("case", testCase);
                    o.addProperty("output", output);
                    o.addProperty("maxAbsDifference", diff);
                    all.add(o);
                    if (!json.enabled) {
                        out().printf("case %-12s output %-12s max difference %.3g%n", testCase, output, diff);
                    }
                }
            }
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.addProperty("a", pa.manifest().coordinate());
                o.addProperty("b", pb.manifest().coordinate());
                o.add("differences", all);
                json.print(out(), o);
            }
        }
        return 0;
    }
}
