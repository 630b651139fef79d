package io.conduit.installer.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.local.GpuInfo;
import io.conduit.core.engine.local.GpuRouteCheck;
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

    @picocli.CommandLine.Option(names = "--models", description = "Also ask the running agent which models it offers"
            + " in each application for this show and department ($SHOW, $DEPT), and why each other model is hidden.")
    boolean models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // A broken configuration file is what a TD runs doctor to find: report it, and check the rest anyway.
        ConduitConfig config = engine.lenientConfig();
        try (RoutingEngine routing = EngineOptions.newEngine(config)) {
            GpuStatus gpu = routing.local().gpuStatus();
            List<RemoteEngine.EndpointHealth> endpoints = routing.remote().map(RemoteEngine::health).orElse(List.of());
            String ortVersion = io.conduit.core.onnx.OrtEnv.get().getVersion();
            String providers = OrtEnvironment.getAvailableProviders().toString();
            List<GpuRouteCheck.Item> gpuRoute = GpuRouteCheck.forThisMachine(
                    OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), GPU_ROUTE_MIN_FREE_MIB).check();
            List<io.conduit.installer.setup.Registrations.Status> apps = registrations();
            String agent = agentState();
            String show = scopeValue(config, io.conduit.core.config.Setting.SCOPE_SHOW_VARIABLE);
            String department = scopeValue(config, io.conduit.core.config.Setting.SCOPE_DEPARTMENT_VARIABLE);
            JsonObject offered = models ? AgentModels.query(AgentCommand.defaultHome(), show, department) : null;
            if (json.enabled) {
                JsonObject o = toJson(config, gpu, endpoints, ortVersion, providers);
                o.add("gpuRoute", gpuRouteJson(gpuRoute));
                JsonArray list = new JsonArray();
                for (var s : apps) {
                    JsonObject a = new JsonObject();
                    a.addProperty("app", s.app().app());
                    a.addProperty("version", s.app().version());
                    a.addProperty("file", s.file() == null ? "" : s.file().toString());
                    a.addProperty("ok", s.ok());
                    a.addProperty("state", s.state());
                    a.addProperty("fix", s.fix());
                    list.add(a);
                }
                o.add("applications", list);
                JsonArray problems = new JsonArray();
                config.problems().forEach(problems::add);
                o.add("configurationProblems", problems);
                JsonArray warnings = new JsonArray();
                config.warnings().forEach(warnings::add);
                o.add("configurationWarnings", warnings);
                o.addProperty("agent", agent);
                o.addProperty("agentLog", AgentCommand.defaultHome().resolve("agent.log").toString());
                if (offered != null) {
                    o.add("agentModels", offered);
                }
                json.print(spec.commandLine().getOut(), o);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                config.problems().forEach(p -> out.println("Configuration file skipped: " + p));
                config.warnings().forEach(w -> out.println("Configuration warning: " + w));
                print(out, config, gpu, endpoints, ortVersion, providers);
                printGpuRoute(out, gpuRoute);
                if (apps.isEmpty()) {
                    out.println("Applications: no Houdini, Maya or Nuke preference folder found for this user");
                }
                for (var s : apps) {
                    out.println("Application " + s.app() + ": " + s.state() + (s.ok() ? "" : "\n  fix: " + s.fix()));
                }
                out.println("Agent: " + agent);
                out.println("Logs: the agent (its access lines and errors) writes " + AgentCommand.defaultHome()
                        .resolve("agent.log") + "; other commands write to stderr (-q: errors only, -v: debug too)");
                if (offered != null) {
                    AgentModels.print(out, offered, show, department);
                }
                out.flush();
            }
            boolean healthy = endpoints.stream().allMatch(RemoteEngine.EndpointHealth::ready);
            if (!config.problems().isEmpty()) {
                return io.conduit.core.ErrorCode.USAGE.exitStatus();
            }
            return healthy ? 0 : io.conduit.core.ErrorCode.REMOTE_UNAVAILABLE.exitStatus();
        }
    }

    /** The artist's show or department, from the variable the configuration names ($SHOW, $DEPT by default). */
    private static String scopeValue(ConduitConfig config, io.conduit.core.config.Setting variable) {
        return System.getenv().getOrDefault(config.get(variable), "");
    }

    /** What doctor asks to be free on the GPU before it calls the GPU route ready (the demo model needs 256 MiB). */
    private static final long GPU_ROUTE_MIN_FREE_MIB = 1024;

    /** Every requirement of the local GPU route, the missing ones with their fix. */
    private static void printGpuRoute(PrintWriter out, List<GpuRouteCheck.Item> items) {
        long missing = items.stream().filter(i -> !i.ok()).count();
        out.println("GPU route (local-gpu): " + (missing == 0 ? "ready" : missing + " thing(s) missing"));
        for (GpuRouteCheck.Item i : items) {
            out.println("  " + (i.ok() ? "ok      " : "MISSING ") + i.what() + ": " + i.found());
            if (!i.ok()) {
                out.println("          fix: " + i.fix());
            }
        }
    }

    private static JsonArray gpuRouteJson(List<GpuRouteCheck.Item> items) {
        JsonArray list = new JsonArray();
        for (GpuRouteCheck.Item i : items) {
            JsonObject j = new JsonObject();
            j.addProperty("what", i.what());
            j.addProperty("ok", i.ok());
            j.addProperty("found", i.found());
            if (!i.ok()) {
                j.addProperty("fix", i.fix());
            }
            list.add(j);
        }
        return list;
    }

    /** The bridges' registration in each application found, when run from a distribution (which knows its folder). */
    private static List<io.conduit.installer.setup.Registrations.Status> registrations() {
        String root = System.getProperty("conduit.home");
        if (root == null) {
            return List.of();
        }
        return io.conduit.installer.setup.Registrations.check(io.conduit.installer.setup.AppDetector.forThisMachine(),
                java.nio.file.Path.of(root), "0.1.0");
    }

    /** Whether this user's agent is running and answers its own token. */
    private static String agentState() {
        java.nio.file.Path home = AgentCommand.defaultHome();
        var file = io.conduit.server.agent.AgentFile.read(home);
        if (file.isEmpty()) {
            return "not running (the bridges start it on demand; conduit agent starts it by hand)";
        }
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + file.get().port()
                    + "/conduit/v1/agent")).header("Authorization", "Bearer " + file.get().token())
                    .timeout(java.time.Duration.ofSeconds(3)).GET().build();
            int status = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "running on port " + file.get().port() + " (pid " + file.get().pid() + ")"
                    : "answers " + status + " on port " + file.get().port() + "; stop it and let a bridge start a new one";
        } catch (java.io.IOException e) {
            return "not running (" + home.resolve("agent.json") + " is left from one that stopped; the next bridge call"
                    + " starts a new one)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not checked (interrupted)";
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
