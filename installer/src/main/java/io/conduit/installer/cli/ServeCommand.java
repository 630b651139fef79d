package io.conduit.installer.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.ConfigLoader;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.tensor.BufferPool;
import io.conduit.core.engine.local.NvidiaSmiProbe;
import io.conduit.core.engine.policy.Engines;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.v2.BatchingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conduit serve}: the remote inference service, speaking KServe V2 over HTTP. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves every model package in a folder over the KServe V2 / Open Inference Protocol"
                + " (JSON and binary tensors), until interrupted (Ctrl-C or SIGTERM drain in-flight requests).",
                "Endpoints: GET /v2, /v2/health/live, /v2/health/ready, /v2/models/{name}[/versions/{v}][/ready],"
                        + " POST .../infer, GET /metrics (Prometheus); Triton's GET .../config, .../stats and"
                        + " POST /v2/repository/index. {v} is a semantic version or Triton's integer (1 = oldest).",
                "With --grpc-port, the same over gRPC: ServerLive, ServerReady, ModelReady, ServerMetadata,"
                        + " ModelMetadata, ModelInfer (raw_input_contents or typed contents), ModelConfig, ModelStatistics.",
                "With --registry, a model named without a version resolves by the registry's rollout rules for the"
                        + " caller: the token's user (\"anonymous\" without tokens), and the Conduit-Show"
                        + " and Conduit-Department headers."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--models", paramLabel = "DIR", description = "Folder of model packages (or use --registry).")
    Path models;

    @picocli.CommandLine.Mixin
    RegistryOptions registryOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on; 0.0.0.0 for every"
            + " interface. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--no-access-log", description = "Write no access log line (time, user, model, version, route,"
            + " status, ms) per request; by default they go to stderr (the agent's agent.log).")
    boolean noAccessLog;

    @Option(names = "--port", defaultValue = "8000", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--tokens", paramLabel = "FILE", description = "Bearer tokens file (TOKEN USER [roles=...]"
            + " [shows=...] per line; roles infer, feedback, publish, admin; default infer,feedback); without it every"
            + " request is let in as \"anonymous\".")
    Path tokens;

    @Option(names = "--allow-anonymous-writes", description = "Without --tokens on an address other than loopback,"
            + " let callers without a token publish, move aliases and set rollout rules (refused otherwise).")
    boolean allowAnonymousWrites;

    @Option(names = "--keystore", paramLabel = "FILE", description = "PKCS12 or JKS keystore: serve HTTPS.")
    Path keystore;

    @Option(names = "--keystore-password-env", paramLabel = "VAR", defaultValue = "CONDUIT_KEYSTORE_PASSWORD",
            description = "Environment variable holding the keystore password. Default: ${DEFAULT-VALUE}.")
    String keystorePasswordVariable;

    @Option(names = "--max-request-mb", defaultValue = "512", description = "Largest request body. Default: ${DEFAULT-VALUE}.")
    long maxRequestMb;

    @Option(names = "--max-json-mb", defaultValue = "32", description = "Largest pure-JSON request body (a parsed"
            + " JSON tensor takes ~50 times its text in memory). Default: ${DEFAULT-VALUE}.")
    long maxJsonMb;

    @Option(names = "--max-uploads-per-caller", defaultValue = "32", description = "Request bodies one token (one"
            + " address without tokens) may be sending at once; more are answered 503. Default: ${DEFAULT-VALUE}.")
    int maxUploadsPerCaller;

    @Option(names = "--feedback-per-minute", defaultValue = "600", description = "Feedback notes one token may send"
            + " a minute; beyond it 429 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int feedbackPerMinute;

    @Option(names = "--telemetry-per-minute", defaultValue = "600", description = "Telemetry batches one token may"
            + " send a minute; beyond it 429 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int telemetryPerMinute;

    @Option(names = "--max-in-flight-mb", defaultValue = "2048", description = "Request bodies in flight at once, in"
            + " total; beyond it 503. Default: ${DEFAULT-VALUE}.")
    long maxInFlightMb;

    @Option(names = "--max-json-in-flight-mb", defaultValue = "64", description = "JSON request bodies being parsed at"
            + " once; beyond it 503. Default: ${DEFAULT-VALUE}.")
    long maxJsonInFlightMb;

    @Option(names = "--read-idle-seconds", defaultValue = "30", description = "A connection that sends nothing for"
            + " this long is closed. Default: ${DEFAULT-VALUE}.")
    int readIdleSeconds;

    @Option(names = "--batching", paramLabel = "FILE", description = "JSON: {\"default\": {...}, \"models\": {NAME:"
            + " {\"maxBatchSize\": 8, \"maxQueueDelayMs\": 2, \"instances\": 1, \"queueCapacity\": 64}}}.")
    Path batching;

    @Option(names = "--feedback-db", paramLabel = "JDBC_URL", description = "Where artists' feedback is stored:"
            + " jdbc:postgresql://... for a studio database. Default: an embedded H2 file in ~/.conduit/service.")
    String feedbackDb;

    @Option(names = "--drain-seconds", defaultValue = "30", description = "How long shutdown waits for in-flight"
            + " requests. Default: ${DEFAULT-VALUE}.")
    int drainSeconds;

    @Option(names = "--drain-delay-seconds", defaultValue = "0", description = "On SIGTERM, keep serving this long"
            + " with /v2/health/ready answering 503 (live stays 200) so load balancers stop sending, before"
            + " stopping to listen and draining. Default: ${DEFAULT-VALUE}.")
    int drainDelaySeconds;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Also serve GET /metrics, and nothing else,"
            + " without a token on this port, for Prometheus (plain HTTP, also with --keystore); /metrics on --port"
            + " keeps requiring one.")
    Integer metricsPort;

    @Option(names = "--grpc-port", paramLabel = "PORT", description = "Also serve the Open Inference Protocol over"
            + " gRPC (inference.GRPCInferenceService, as Triton's gRPC clients call it; Triton's"
            + " port is 8001) on this port: the same models, tokens (authorization metadata), roles and limits as"
            + " --port, TLS with --keystore. Off unless given; 0 picks a free one.")
    Integer grpcPort;

    @Option(names = "--require-gpu", description = "Readiness (/v2/health/ready and each model's) answers 503, with"
            + " the reason, until a GPU and ONNX Runtime's CUDA provider are confirmed: a GPU box that lost its GPU"
            + " takes no traffic.")
    boolean requireGpu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        if ((models == null) == (registryOptions.registry == null)) {
            throw new ConduitException(ErrorCode.USAGE, "give exactly one of --models DIR (a folder of packages) and"
                    + " --registry DIR (every version in a registry, bare names resolved by rollout rules; a registry"
                    + " folder is also served to other workstations under /conduit/v1)");
        }
        ServerConfig.Builder builder = ServerConfig.builder(models != null ? models : registryOptions.cache())
                .host(host).port(port).tokensFile(tokens).allowAnonymousWrites(allowAnonymousWrites)
                .maxRequestBytes(maxRequestMb << 20).maxJsonBytes(maxJsonMb << 20)
                .drainTimeout(Duration.ofSeconds(drainSeconds)).drainDelay(Duration.ofSeconds(drainDelaySeconds))
                .requireGpu(requireGpu)
                .uploadLimits(new io.conduit.server.http.UploadLimits(maxUploadsPerCaller, maxInFlightMb << 20,
                        maxJsonInFlightMb << 20, Duration.ofSeconds(readIdleSeconds)))
                .rateLimits(new io.conduit.server.http.RateLimits(feedbackPerMinute, telemetryPerMinute));
        if (metricsPort != null) {
            builder.metricsPort(metricsPort);
        }
        if (grpcPort != null) {
            builder.grpcPort(grpcPort);
        }
        if (noAccessLog) {
            builder.accessLog(null);
        }
        if (keystore != null) {
            builder.keystore(keystore, System.getenv().getOrDefault(keystorePasswordVariable, ""));
        }
        if (batching != null) {
            applyBatching(builder, batching);
        }
        if (feedbackDb == null) {
            // The default database sits in the user's Conduit folder: notes and their authors, owner only.
            io.conduit.core.io.PrivateFiles.folder(AgentCommand.defaultHome());
            io.conduit.core.io.PrivateFiles.folder(AgentCommand.defaultHome().resolve("service"));
        }
        String db = feedbackDb != null ? feedbackDb : "jdbc:h2:file:" + AgentCommand.defaultHome().resolve("service")
                .resolve("feedback").toAbsolutePath();
        builder.feedbackStore(io.conduit.server.feedback.FeedbackStore.open(db));
        if (registryOptions.registry != null) {
            // Unbounded: the service holds every version it serves, so none may be evicted under it.
            builder.registry(registryOptions.open(), registryOptions.modelCache(Long.MAX_VALUE));
        }
        ConduitConfig config = ConfigLoader.fromProcess(Map.of());
        // One pool for request tensors and outputs: each response hands its buffers back for the next.
        BufferPool buffers = new BufferPool(Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 4));
        builder.bufferPool(buffers);
        LocalEngineConfig engineConfig = LocalEngineConfig.builder()
                .intraOpThreads(Engines.localConfig(config).intraOpThreads())
                .allowSpinning(Engines.localConfig(config).allowSpinning())
                .outputPool(buffers).build();
        LocalEngine engine = new LocalEngine(engineConfig, new NvidiaSmiProbe());
        // SIGTERM closes the service (drain included) before the JVM shuts down (TerminationSignals says why);
        // the hook, for any other exit, is in place before the port opens, since a SIGTERM may come as soon as
        // the service answers (a probe, a test) while models still load in the background.
        java.util.concurrent.atomic.AtomicReference<ConduitServer> running = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch listened = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable close = () -> {
            try {
                listened.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!closing.compareAndSet(false, true)) {
                try {
                    stopped.await(); // a second signal, or the hook after a signal: the first close finishes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            ConduitServer started = running.get();
            if (started != null) {
                started.close();
            }
            engine.close();
            stopped.countDown();
        };
        Runnable defaultSignals = TerminationSignals.onTerminate(close);
        Thread hook = new Thread(close, "conduit-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ConduitServer server;
        try {
            server = ConduitServer.listen(builder.build(), engine);
            running.set(server);
        } catch (RuntimeException e) {
            defaultSignals.run(); // nothing is served: the process (or a test's JVM) takes signals as before
            Runtime.getRuntime().removeShutdownHook(hook);
            engine.close();
            throw e;
        } finally {
            listened.countDown();
        }
        PrintWriter out = spec.commandLine().getOut();
        int configured = server.modelStatus().size();
        out.println("conduit serve: listening on " + server.baseUri()
                + (server.metricsPort().isPresent() ? " (metrics without a token on port "
                + server.metricsPort().getAsInt() + ")" : "")
                + (server.grpcPort().isPresent() ? " (gRPC on port " + server.grpcPort().getAsInt() + ")" : "")
                + "; loading " + configured + " model version(s)");
        server.problems().forEach(p -> out.println("  skipped " + p));
        out.flush();
        Thread summary = new Thread(() -> printWhenLoaded(server, out), "conduit-serve-loaded");
        summary.setDaemon(true);
        summary.start();
        stopped.await();
        return 0;
    }

    /** One line per model once all have loaded or failed: what an operator reads to see the service is whole. */
    private static void printWhenLoaded(ConduitServer server, PrintWriter out) {
        try {
            server.awaitModels(Duration.ofDays(365));
        } catch (InterruptedException e) {
            return;
        }
        long ready = server.modelStatus().stream().filter(m -> m.state() == io.conduit.server.v2.ModelState.READY).count();
        synchronized (out) {
            out.println("conduit serve: " + ready + " of " + server.modelStatus().size() + " model version(s) ready");
            for (io.conduit.server.v2.ModelStatus m : server.modelStatus()) {
                out.println("  " + m.name() + "@" + m.version() + (m.reason().isEmpty() ? "" : " unavailable: " + m.reason()));
            }
            out.flush();
        }
    }

    static void applyBatching(ServerConfig.Builder builder, Path file) {
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file));
            if (!parsed.isJsonObject()) {
                throw new ConduitException(ErrorCode.USAGE, file + ": expected a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ConduitException c) {
                throw c;
            }
            throw new ConduitException(ErrorCode.USAGE, file + " is not valid JSON: " + e.getMessage());
        }
        if (root.has("default")) {
            builder.defaultBatching(batchingOf(root.get("default"), file + " default"));
        }
        if (root.has("models")) {
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("models").entrySet()) {
                builder.batching(e.getKey(), batchingOf(e.getValue(), file + " models." + e.getKey()));
            }
        }
    }

    private static BatchingConfig batchingOf(JsonElement json, String where) {
        try {
            JsonObject o = json.getAsJsonObject();
            BatchingConfig d = BatchingConfig.DEFAULT;
            return new BatchingConfig(
                    o.has("maxBatchSize") ? o.get("maxBatchSize").getAsInt() : d.maxBatchSize(),
                    o.has("maxQueueDelayMs") ? Duration.ofNanos((long) (o.get("maxQueueDelayMs").getAsDouble() * 1e6))
                            : d.maxQueueDelay(),
                    o.has("instances") ? o.get("instances").getAsInt() : d.instances(),
                    o.has("queueCapacity") ? o.get("queueCapacity").getAsInt() : d.queueCapacity());
        } catch (RuntimeException e) {
            throw new ConduitException(ErrorCode.USAGE, where + ": " + e.getMessage()
                    + "; expected {\"maxBatchSize\": N, \"maxQueueDelayMs\": MS, \"instances\": N, \"queueCapacity\": N}");
        }
    }
}
