package io.conduit.installer.cli;

import ai.onnxruntime.OrtEnvironment;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.local.GpuInfo;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.engine.remote.RemoteEngine;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code conduit doctor}: what this machine can run on, and what to fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Prints the configuration and where each value came from, the ONNX Runtime build and its"
                + " providers, the GPU probe, and each configured inference service's health.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ConduitConfig config = engine.config();
        try (RoutingEngine routing = EngineOptions.newEngine(config)) {
            GpuStatus gpu = routing.local().gpuStatus();
            List<RemoteEngine.EndpointHealth> endpoints = routing.remote().map(RemoteEngine::health).orElse(List.of());
            String ortVersion = OrtEnvironment.getEnvironment().getVersion();
            String providers = OrtEnvironment.getAvailableProviders().toString();
            if (json.enabled) {
                json.print(spec.commandLine().getOut(), toJson(config, gpu, endpoints, ortVersion, providers));
            } else {
                print(spec.commandLine().getOut(), config, gpu, endpoints, ortVersion, providers);
            }
            boolean healthy = endpoints.stream().allMatch(RemoteEngine.EndpointHealth::ready);
            return healthy ? 0 : io.conduit.core.ErrorCode.REMOTE_UNAVAILABLE.exitStatus();
        }
    }

    private static void print(PrintWriter out, ConduitConfig config, GpuStatus gpu,
                              List<RemoteEngine.EndpointHealth> endpoints, String ortVersion, String providers) {
        out.println("Configuration (later layers win: default < studio file < user file < environment < flags):");
        for (Setting s : Setting.values()) {
            String value = s == Setting.REMOTE_TOKEN && !config.get(s).isEmpty() ? "(set)" : config.get(s);
            out.printf("  %-26s %-28s from %s%n", s.key(), value.isEmpty() ? "(empty)" : value, config.source(s));
        }
        out.println("ONNX Runtime " + ortVersion + ", providers " + providers);
        if (gpu.gpus().isEmpty() || !gpu.cudaProviderAvailable()) {
            out.println("GPU: not usable: " + gpu.problem());
            out.println("  fix: install the NVIDIA driver and the GPU distribution (mvn -Pgpu), or use a remote service");
        }
        for (GpuInfo g : gpu.gpus()) {
            out.println("GPU " + g.index() + ": " + g.name() + ", " + g.freeMemoryMiB() + " MiB free");
        }
        if (endpoints.isEmpty()) {
            out.println("Remote services: none configured (remote.endpoints, CONDUIT_REMOTE_ENDPOINTS or --remote URL)");
        }
        for (RemoteEngine.EndpointHealth e : endpoints) {
            out.println("Remote " + e.endpoint() + ": " + (e.ready() ? "ready" : "NOT READY (" + e.problem() + ")")
                    + (e.binary() == null ? "" : e.binary() ? ", binary tensors" : ", JSON only"));
        }
    }

    private static JsonObject toJson(ConduitConfig config, GpuStatus gpu, List<RemoteEngine.EndpointHealth> endpoints,
                                     String ortVersion, String providers) {
        JsonObject o = new JsonObject();
        JsonObject settings = new JsonObject();
        for (Setting s : Setting.values()) {
            JsonObject v = new JsonObject();
            v.addProperty("value", s == Setting.REMOTE_TOKEN && !config.get(s).isEmpty() ? "(set)" : config.get(s));
            v.addProperty("source", config.source(s));
            settings.add(s.key(), v);
        }
        o.add("configuration", settings);
        o.addProperty("onnxRuntime", ortVersion);
        o.addProperty("providers", providers);
        JsonObject g = new JsonObject();
        g.addProperty("usable", gpu.cudaProviderAvailable() && !gpu.gpus().isEmpty());
        g.addProperty("problem", gpu.problem());
        JsonArray list = new JsonArray();
        for (GpuInfo info : gpu.gpus()) {
            JsonObject j = new JsonObject();
            j.addProperty("index", info.index());
            j.addProperty("name", info.name());
            j.addProperty("freeMemoryMiB", info.freeMemoryMiB());
            list.add(j);
        }
        g.add("gpus", list);
        o.add("gpu", g);
        JsonArray remote = new JsonArray();
        for (RemoteEngine.EndpointHealth e : endpoints) {
            JsonObject j = new JsonObject();
            j.addProperty("endpoint", e.endpoint());
            j.addProperty("ready", e.ready());
            j.addProperty("problem", e.problem());
            if (e.binary() != null) {
                j.addProperty("binary", e.binary());
            }
            remote.add(j);
        }
        o.add("remote", remote);
        return o;
    }
}
