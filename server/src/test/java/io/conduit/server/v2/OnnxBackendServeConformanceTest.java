package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conduit.core.ConduitException;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.conformance.BackendCase;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX backend tests that ship with ONNX (see core's {@code OnnxBackendConformanceTest}, which checks
 * the local run against ONNX's expected outputs) sent through a real {@code conduit serve} on loopback:
 * each case packaged as {@code conduit init} would, served by {@link ConduitServer}, run by the remote
 * engine over V2 JSON and over V2 binary, and every output compared bit for bit with the local run's
 * (NaN payloads and -0.0 by their bits, strings exactly). A refusal must be the local one's, by the same
 * code. Tagged {@code conformance}: {@code mvn -pl server -am test -Dgroups=conformance
 * -Dconformance.skip=none}; results in docs/benchmarks.md.
 */
@Tag("conformance")
class OnnxBackendServeConformanceTest {
    /** Packages per server start: one scheduler (and its worker) per package, so not all thousand at once. */
    private static final int CHUNK = 100;

    @TempDir
    Path dir;

    /** Where a case ran. */
    enum Route { LOCAL, V2_JSON, V2_BINARY }

    /** How a case ended on one route. */
    enum Outcome { PASSED, NONDETERMINISTIC, REFUSED, DATA_NOT_CARRIED, FAILED }

    /** Counts per route and element type, refusals by reason, and every failure. */
    private static final class Tally {
        final Map<Route, Map<DataType, Map<Outcome, Integer>>> counts = new EnumMap<>(Route.class);
        final Map<Route, Map<Outcome, Integer>> totals = new EnumMap<>(Route.class);
        final Map<Route, Map<String, Integer>> refusals = new EnumMap<>(Route.class);
        final List<String> failures = new ArrayList<>();

        void add(Route route, Set<DataType> types, Outcome outcome, String id, String detail) {
            types.forEach(t -> counts.computeIfAbsent(route, r -> new TreeMap<>()).computeIfAbsent(t, k -> new EnumMap<>(Outcome.class))
                    .merge(outcome, 1, Integer::sum));
            totals.computeIfAbsent(route, r -> new EnumMap<>(Outcome.class)).merge(outcome, 1, Integer::sum);
            if (outcome == Outcome.REFUSED || outcome == Outcome.DATA_NOT_CARRIED) {
                refusals.computeIfAbsent(route, r -> new TreeMap<>()).merge(detail, 1, Integer::sum);
            }
            if (outcome == Outcome.FAILED) {
                failures.add(route + " " + id + ": " + detail);
            }
        }

        String report(int cases) {
            StringBuilder out = new StringBuilder("ONNX backend tests through conduit serve: " + cases + "\n");
            totals.forEach((route, t) -> out.append(route).append(' ').append(t).append('\n'));
            out.append("by element type (a test counts under each type its ports have):\n");
            counts.forEach((route, byType) -> byType.forEach((type, t) ->
                    out.append("  ").append(route).append(' ').append(type).append(' ').append(t).append('\n')));
            out.append("refusals by reason:\n");
            refusals.forEach((route, reasons) -> reasons.forEach((reason, n) ->
                    out.append("  ").append(route).append(' ').append(n).append("  ").append(reason).append('\n')));
            failures.forEach(f -> out.append("FAILED ").append(f).append('\n'));
            return out.toString();
        }
    }

    private static RemoteEngineConfig remote(URI endpoint, boolean binary) {
        return new RemoteEngineConfig(List.of(endpoint), "", Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 1000, Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200), binary);
    }

    private static LocalEngine cpuEngine() {
        return new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("conformance runs on the CPU"));
    }

    @Test
    void everyBackendTestGivesTheLocalBitsThroughConduitServeOverJsonAndBinary() throws Exception {
        List<BackendCase> cases = BackendCase.all(BackendCase.dataFolder());
        Tally tally = new Tally();
        try (LocalEngine local = cpuEngine()) {
            for (int from = 0; from < cases.size(); from += CHUNK) {
                Path models = Files.createDirectories(dir.resolve("models-" + from));
                Map<String, BackendCase> served = new LinkedHashMap<>();
                for (int i = from; i < Math.min(cases.size(), from + CHUNK); i++) {
                    BackendCase c = cases.get(i);
                    String name = packageName(c, i);
                    try {
                        c.packageInto(models.resolve(name), name);
                        served.put(name, c);
                    } catch (ConduitException e) {
                        for (Route route : Route.values()) {
                            tally.add(route, Set.of(), Outcome.REFUSED, c.id(), "at init: " + e.code().searchCode());
                        }
                    }
                }
                try (LocalEngine serverEngine = cpuEngine();
                     ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).build(), serverEngine);
                     RemoteEngine json = new RemoteEngine(remote(server.baseUri(), false));
                     RemoteEngine binary = new RemoteEngine(remote(server.baseUri(), true))) {
                    for (Map.Entry<String, BackendCase> c : served.entrySet()) {
                        run(c.getValue(), models.resolve(c.getKey()), local, json, binary, tally);
                    }
                }
            }
        }
        String report = tally.report(cases.size());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/conformance-serve.txt"), report);
        System.out.println(report);
        assertEquals(List.of(), tally.failures, report);
    }

    private static String packageName(BackendCase c, int index) {
        String base = c.folder().getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return (base.length() > 50 ? base.substring(0, 50) : base) + "-" + index;
    }

    private static void run(BackendCase c, Path pkgDir, LocalEngine local, RemoteEngine json, RemoteEngine binary,
                            Tally tally) throws Exception {
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Manifest m = pkg.manifest();
            Set<DataType> types = BackendCase.elementTypes(m);
            BackendCase.Data data = c.read(m);
            if (data.notCarried() != null) {
                for (Route route : Route.values()) {
                    tally.add(route, types, Outcome.DATA_NOT_CARRIED, c.id(), "test data not carried");
                }
                return;
            }
            Map<String, Tensor> inputs = data.inputs();
            InferenceResult baseline = null;
            ConduitException localRefusal = null;
            try {
                baseline = local.run(pkg, inputs, DevicePreference.CPU);
                tally.add(Route.LOCAL, types, Outcome.PASSED, c.id(), "");
            } catch (ConduitException e) {
                localRefusal = e;
                tally.add(Route.LOCAL, types, Outcome.REFUSED, c.id(), e.code().searchCode());
            }
            for (Route route : new Route[]{Route.V2_JSON, Route.V2_BINARY}) {
                InferenceEngine remote = route == Route.V2_JSON ? json : binary;
                InferenceResult answer;
                try {
                    answer = remote.run(pkg, inputs, DevicePreference.REMOTE);
                } catch (ConduitException e) {
                    if (localRefusal != null && localRefusal.code() == e.code()) {
                        tally.add(route, types, Outcome.REFUSED, c.id(), e.code().searchCode() + " as locally");
                    } else if (localRefusal == null && route == Route.V2_JSON && e.code() == io.conduit.core.ErrorCode.PROTOCOL
                            && (e.getMessage().contains("travel only as binary") || e.getMessage().contains("JSON cannot carry"))) {
                        tally.add(route, types, Outcome.REFUSED, c.id(), "CDT-PROTOCOL: " + jsonReason(e));
                    } else {
                        tally.add(route, types, Outcome.FAILED, c.id(), e.code().searchCode() + " " + brief(e.getMessage())
                                + (localRefusal == null ? " (ran locally)" : " (locally " + localRefusal.code().searchCode() + ")"));
                    }
                    continue;
                }
                if (baseline == null) {
                    tally.add(route, types, Outcome.FAILED, c.id(), "answered, but the local run refused with "
                            + localRefusal.code().searchCode());
                    continue;
                }
                String difference = difference(baseline, answer);
                if (difference == null) {
                    tally.add(route, types, Outcome.PASSED, c.id(), "");
                } else if (difference(baseline, local.run(pkg, inputs, DevicePreference.CPU)) != null) {
                    // The model itself answers differently run after run (random operators): no bits to hold it to.
                    tally.add(route, types, Outcome.NONDETERMINISTIC, c.id(), "");
                } else {
                    tally.add(route, types, Outcome.FAILED, c.id(), difference);
                }
            }
        }
    }

    /** Why JSON could not carry the call, from the refusal's own words: which tensor and its kind. */
    private static String jsonReason(ConduitException e) {
        String m = e.getMessage();
        if (m.contains("FP16 tensors") || m.contains("BF16 tensors")) {
            return "FP16/BF16 travel only as binary";
        }
        if (m.contains("NaN") || m.contains("Infinity")) {
            return "NaN or infinity, which JSON cannot carry";
        }
        return brief(m);
    }

    private static String difference(InferenceResult expected, InferenceResult actual) {
        if (!expected.outputs().keySet().equals(actual.outputs().keySet())) {
            return "outputs " + actual.outputs().keySet() + ", expected " + expected.outputs().keySet();
        }
        for (Map.Entry<String, Tensor> out : expected.outputs().entrySet()) {
            String d = BackendCase.bitDifference(out.getValue(), actual.output(out.getKey()));
            if (d != null) {
                return "output " + out.getKey() + " " + d;
            }
        }
        return null;
    }

    private static String brief(String message) {
        String first = message.lines().findFirst().orElse("");
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
