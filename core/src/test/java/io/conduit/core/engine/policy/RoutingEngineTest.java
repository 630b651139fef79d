package io.conduit.core.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.Requirements;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auto policy decided directly: its plan without a GPU or a service, and the refusal when no route is left. */
class RoutingEngineTest {
    @TempDir
    Path dir;

    private static Manifest cpuAllowed(Manifest m, boolean allowed) {
        Requirements r = m.requirements();
        return new Manifest(m.schemaVersion(), m.name(), m.version(), m.description(), m.authors(), m.modelFile(),
                m.inputs(), m.outputs(), new Requirements(r.gpuMemoryMiB(), allowed, r.precision(), r.tiling()),
                m.hosts(), m.lineage(), m.assets(), m.files());
    }

    @Test
    void autoPlansTheCpuAndSaysWhyEveryOtherRouteWasPassedOver() {
        try (LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("no NVIDIA driver"));
             ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir, m -> cpuAllowed(m, true)))) {
            RouteDecision plan = new RoutingEngine(local, null).plan(pkg, DevicePreference.AUTO);
            assertEquals(Route.LOCAL_CPU, plan.route());
            assertTrue(plan.reason().contains("local GPU: ") && plan.reason().contains("no NVIDIA driver")
                    && plan.reason().contains("remote: no service configured"), plan.reason());
            assertTrue(!plan.fallback(), "the CPU was the plan, not a take-over");
        }
    }

    @Test
    void withNoRouteLeftAutoRefusesNamingEveryRouteAndRunsNothing() {
        try (LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("no NVIDIA driver"));
             ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir, m -> cpuAllowed(m, false)))) {
            RoutingEngine auto = new RoutingEngine(local, null);
            ConduitException planned = assertThrows(ConduitException.class, () -> auto.plan(pkg, DevicePreference.AUTO));
            assertEquals(ErrorCode.NO_ROUTE, planned.code());
            for (String route : new String[]{"local GPU: ", "remote: no service configured", "local CPU: "}) {
                assertTrue(planned.getMessage().contains(route), planned.getMessage());
            }
            ConduitException ran = assertThrows(ConduitException.class, () -> auto.run(pkg,
                    Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 1f)), DevicePreference.AUTO));
            assertEquals(ErrorCode.NO_ROUTE, ran.code(), ran.getMessage());
        }
    }
}
