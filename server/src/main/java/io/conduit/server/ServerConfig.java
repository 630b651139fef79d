package io.conduit.server;

import io.conduit.server.feedback.FeedbackStore;
import io.conduit.server.http.AccessLog;
import io.conduit.server.http.AnonymousAccess;
import io.conduit.server.http.TokenStore;
import io.conduit.server.http.UploadLimits;
import io.conduit.server.v2.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code conduit serve} and {@code conduit agent} start a server with. Immutable; build
 * with {@link #builder(Path)}. Batching is set per model name, with a default for the rest.
 */
public final class ServerConfig {
    private final ServerMode mode;
    private final Path modelsDir;
    private final String host;
    private final int port;
    /** A second port serving only {@code GET /metrics} without a token; -1: none. */
    private final int metricsPort;
    private final int grpcPort;
    /** How long shutdown keeps accepting (ready 503, live 200) before it stops listening. */
    private final Duration drainDelay;
    /** Readiness waits for the GPU probe to confirm CUDA. */
    private final boolean requireGpu;
    private final java.util.function.Consumer<String> accessLog;
    private final Optional<Path> tokensFile;
    private final Optional<Path> keystore;
    private final String keystorePassword;
    private final long maxRequestBytes;
    private final long maxJsonBytes;
    private final Duration drainTimeout;
    private final BatchingConfig defaultBatching;
    private final Map<String, BatchingConfig> batchingByModel;
    private final io.conduit.core.tensor.BufferPool bufferPool;
    private final io.conduit.core.registry.Registry registry;
    private final io.conduit.core.registry.ModelCache registryCache;
    private final TokenStore tokens;
    private final Path agentHome;
    private final FeedbackStore feedbackStore;
    private final java.net.URI feedbackService;
    private final String feedbackToken;
    private final java.net.URI telemetryService;
    private final boolean resolvableOnly;
    private final boolean allowAnonymousWrites;
    private final UploadLimits uploadLimits;
    private final io.conduit.core.registry.ModelCache cacheOnly;

    private ServerConfig(Builder b) {
        this.resolvableOnly = b.resolvableOnly;
        this.allowAnonymousWrites = b.allowAnonymousWrites;
        this.uploadLimits = b.uploadLimits;
        this.cacheOnly = b.cacheOnly;
        this.tokens = b.tokens;
        this.agentHome = b.agentHome;
        this.feedbackStore = b.feedbackStore;
        this.feedbackService = b.feedbackService;
        this.feedbackToken = b.feedbackToken;
        this.telemetryService = b.telemetryService;
        this.registry = b.registry;
        this.registryCache = b.registryCache;
        this.bufferPool = b.bufferPool;
        this.mode = b.mode;
        this.modelsDir = b.modelsDir;
        this.host = b.host;
        this.port = b.port;
        this.metricsPort = b.metricsPort;
        this.grpcPort = b.grpcPort;
        this.drainDelay = b.drainDelay;
        this.requireGpu = b.requireGpu;
        this.accessLog = b.accessLog;
        this.tokensFile = Optional.ofNullable(b.tokensFile);
        this.keystore = Optional.ofNullable(b.keystore);
        this.keystorePassword = b.keystorePassword;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxJsonBytes = b.maxJsonBytes;
        this.drainTimeout = b.drainTimeout;
        this.defaultBatching = b.defaultBatching;
        this.batchingByModel = Map.copyOf(b.batchingByModel);
    }

    public static Builder builder(Path modelsDir) {
        return new Builder(modelsDir);
    }

    public ServerMode mode() { return mode; }
    public Path modelsDir() { return modelsDir; }
    public String host() { return host; }
    public int port() { return port; }

    public java.util.OptionalInt metricsPort() {
        return metricsPort < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsPort);
    }

    /** The port of the Open Inference Protocol over gRPC, when one was asked for (0: any free port). */
    public java.util.OptionalInt grpcPort() {
        return grpcPort < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(grpcPort);
    }

    public Duration drainDelay() { return drainDelay; }

    public boolean requireGpu() { return requireGpu; }

    /** Where each request's access line goes, or empty when the access log is off. */
    public java.util.Optional<java.util.function.Consumer<String>> accessLog() { return java.util.Optional.ofNullable(accessLog); }
    public Optional<Path> tokensFile() { return tokensFile; }

    /** The tokens to accept: the store given, else the tokens file's, else none (every request let in). */
    public TokenStore tokens() {
        if (tokens != null) {
            return tokens;
        }
        return tokensFile.map(TokenStore::load).orElseGet(TokenStore::open);
    }

    /** Whether only the versions a rollout can resolve to are served from the registry. */
    public boolean resolvableOnly() { return resolvableOnly; }

    /** Whether callers without a token may write to the registry on a non-loopback address (see {@link AnonymousAccess}). */
    public boolean allowAnonymousWrites() { return allowAnonymousWrites; }

    /** How many uploads, and how many of their bytes, the server takes in at once. */
    public UploadLimits uploadLimits() { return uploadLimits; }

    /** The cache whose versions are served when there is no registry to reach; or empty. */
    public Optional<io.conduit.core.registry.ModelCache> cacheOnly() { return Optional.ofNullable(cacheOnly); }

    public Optional<FeedbackStore> feedbackStore() { return Optional.ofNullable(feedbackStore); }

    public Optional<java.net.URI> feedbackService() { return Optional.ofNullable(feedbackService); }

    public String feedbackToken() { return feedbackToken; }

    public Optional<java.net.URI> telemetryService() { return Optional.ofNullable(telemetryService); }

    /** The agent's folder (agent.json, feedback), which turns on the agent's endpoints; empty for a service. */
    public Optional<Path> agentHome() { return Optional.ofNullable(agentHome); }
    public Optional<Path> keystore() { return keystore; }
    public String keystorePassword() { return keystorePassword; }
    public long maxRequestBytes() { return maxRequestBytes; }
    /** The most a pure-JSON body may hold: a parsed JSON tensor takes ~50 times its text in memory. */
    public long maxJsonBytes() { return maxJsonBytes; }
    public Duration drainTimeout() { return drainTimeout; }

    /** Where request tensors are read into, and where they and the outputs go back after each response. */
    public io.conduit.core.tensor.BufferPool bufferPool() { return bufferPool; }

    /** The registry models come from (with their rollout rules), instead of the models folder; or empty. */
    public Optional<io.conduit.core.registry.Registry> registry() { return Optional.ofNullable(registry); }

    public io.conduit.core.registry.ModelCache registryCache() { return registryCache; }

    public BatchingConfig batching(String model) {
        return batchingByModel.getOrDefault(model, defaultBatching);
    }

    /** Builds a {@link ServerConfig}; setters check their argument at once and name it. */
    public static final class Builder {
        private ServerMode mode = ServerMode.SERVICE;
        private final Path modelsDir;
        private String host = "127.0.0.1";
        private int port = 8000;
        private int metricsPort = -1;
        private int grpcPort = -1;
        private Duration drainDelay = Duration.ZERO;
        private boolean requireGpu;
        private java.util.function.Consumer<String> accessLog = AccessLog.DEFAULT_SINK;
        private Path tokensFile;
        private Path keystore;
        private String keystorePassword = "";
        private long maxRequestBytes = 512L << 20;
        private long maxJsonBytes = 32L << 20;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private BatchingConfig defaultBatching = BatchingConfig.DEFAULT;
        private final Map<String, BatchingConfig> batchingByModel = new java.util.HashMap<>();
        private io.conduit.core.tensor.BufferPool bufferPool = new io.conduit.core.tensor.BufferPool(1L << 30);
        private io.conduit.core.registry.Registry registry;
        private io.conduit.core.registry.ModelCache registryCache;
        private TokenStore tokens;
        private Path agentHome;
        private FeedbackStore feedbackStore;
        private java.net.URI feedbackService;
        private String feedbackToken = "";
        private java.net.URI telemetryService;
        private boolean resolvableOnly;
        private boolean allowAnonymousWrites;
        private UploadLimits uploadLimits = UploadLimits.DEFAULT;
        private io.conduit.core.registry.ModelCache cacheOnly;

        private Builder(Path modelsDir) {
            this.modelsDir = Objects.requireNonNull(modelsDir, "modelsDir");
        }

        public Builder mode(ServerMode mode) { this.mode = Objects.requireNonNull(mode, "mode"); return this; }
        public Builder host(String host) { this.host = Objects.requireNonNull(host, "host"); return this; }

        /** 0 picks a free port (tests, and agents that publish their port). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder tokensFile(Path file) { this.tokensFile = file; return this; }

        /** Stores artists' feedback that agents upload (POST /conduit/v1/feedback); the service closes it. */
        public Builder feedbackStore(FeedbackStore store) { this.feedbackStore = store; return this; }

        /** Where the agent uploads its spooled feedback (a Conduit service), with its token; null: keep it spooled. */
        public Builder feedbackService(java.net.URI service, String token) {
            this.feedbackService = service;
            this.feedbackToken = token == null ? "" : token;
            return this;
        }

        /** Where the agent forwards its inference records (a Conduit service); null: kept on the agent. */
        public Builder telemetryService(java.net.URI service) { this.telemetryService = service; return this; }

        /** With a registry: serve only the versions some rollout resolves to, not every version (the agent's choice). */
        public Builder resolvableOnly(boolean only) { this.resolvableOnly = only; return this; }

        /** Lets callers without a token publish on a non-loopback address without a tokens file. */
        public Builder allowAnonymousWrites(boolean allow) { this.allowAnonymousWrites = allow; return this; }

        public Builder uploadLimits(UploadLimits limits) { this.uploadLimits = Objects.requireNonNull(limits, "limits"); return this; }

        /** Serves the versions already in a workstation cache (the agent when the registry is unreachable). */
        public Builder cacheOnly(io.conduit.core.registry.ModelCache cache) {
            this.cacheOnly = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Accepts exactly these tokens (the agent's single token); wins over a tokens file. */
        public Builder tokens(TokenStore store) { this.tokens = Objects.requireNonNull(store, "tokens"); return this; }

        /**
         * Runs as the workstation agent with its files in {@code home} (e.g. {@code ~/.conduit}): loopback
         * only, plus the agent's endpoints (models per host application, feedback).
         */
        public Builder agent(Path home) {
            this.agentHome = Objects.requireNonNull(home, "home");
            this.mode = ServerMode.AGENT;
            return this;
        }

        public Builder keystore(Path file, String password) {
            this.keystore = file;
            this.keystorePassword = password == null ? "" : password;
            return this;
        }

        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 1024, got " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder maxJsonBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxJsonBytes must be at least 1024, got " + bytes);
            }
            this.maxJsonBytes = bytes;
            return this;
        }

        /** Also serve {@code inference.GRPCInferenceService} on this port (0 picks a free one); off unless set. */
        public Builder grpcPort(int grpcPort) {
            if (grpcPort < 0 || grpcPort > 65535) {
                throw new IllegalArgumentException("grpcPort must be 0..65535; got " + grpcPort);
            }
            this.grpcPort = grpcPort;
            return this;
        }

        /**
         * Also serve {@code GET /metrics}, and nothing else, without a token on {@code port} (0: a free
         * one), for Prometheus scrapes; the main port's {@code /metrics} keeps its token check.
         */
        public Builder metricsPort(int metricsPort) {
            if (metricsPort < 0 || metricsPort > 65535) {
                throw new IllegalArgumentException("metricsPort must be 0..65535; got " + metricsPort);
            }
            this.metricsPort = metricsPort;
            return this;
        }

        /**
         * How long shutdown goes on accepting requests, answering ready 503 and live 200, before it
         * stops listening and drains: the time a load balancer or Kubernetes needs to stop sending.
         */
        /** One line per request to this sink (the default: the {@code io.conduit.access} logger); null turns it off. */
        public Builder accessLog(java.util.function.Consumer<String> sink) {
            this.accessLog = sink;
            return this;
        }

        /** Readiness answers 503 until the local engine's GPU probe confirms CUDA. */
        public Builder requireGpu(boolean require) {
            this.requireGpu = require;
            return this;
        }

        public Builder drainDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("drainDelay must not be negative; got " + delay);
            }
            this.drainDelay = delay;
            return this;
        }

        public Builder drainTimeout(Duration timeout) { this.drainTimeout = Objects.requireNonNull(timeout); return this; }
        public Builder defaultBatching(BatchingConfig batching) { this.defaultBatching = Objects.requireNonNull(batching); return this; }

        public Builder batching(String model, BatchingConfig batching) {
            batchingByModel.put(Objects.requireNonNull(model), Objects.requireNonNull(batching));
            return this;
        }

        /** Share this pool with the engine's {@code outputPool} so outputs are reused too. */
        public Builder bufferPool(io.conduit.core.tensor.BufferPool pool) {
            this.bufferPool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * Serves every version in {@code registry} (pulled into {@code cache}); a request naming a model
         * without a version gets the version the caller's scope resolves to.
         */
        public Builder registry(io.conduit.core.registry.Registry source, io.conduit.core.registry.ModelCache cache) {
            this.registry = Objects.requireNonNull(source, "registry");
            this.registryCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
