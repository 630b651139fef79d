package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.server.agent.AgentHandler;
import io.conduit.server.feedback.FeedbackHandler;
import io.conduit.server.feedback.FeedbackSpool;
import io.conduit.server.feedback.FeedbackStore;
import io.conduit.server.feedback.FeedbackUploader;
import io.conduit.server.grpc.GrpcFront;
import io.conduit.server.http.AccessCheck;
import io.conduit.server.http.AccessLog;
import io.conduit.server.http.ActivityTracker;
import io.conduit.server.http.AnonymousAccess;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.MetricsPortHandler;
import io.conduit.server.http.TokenStore;
import io.conduit.server.http.RateGate;
import io.conduit.server.http.UploadGate;
import io.conduit.server.registry.RegistryHandler;
import io.conduit.server.telemetry.Telemetry;
import io.conduit.server.telemetry.TelemetryForwarder;
import io.conduit.server.telemetry.TelemetryHandler;
import io.conduit.server.telemetry.TelemetryStore;
import io.conduit.server.ui.UiHandler;
import io.conduit.server.v2.GpuReadinessGate;
import io.conduit.server.v2.ModelLoader;
import io.conduit.server.v2.ModelRepository;
import io.conduit.server.v2.ModelScheduler;
import io.conduit.server.v2.ModelState;
import io.conduit.server.v2.ModelStatus;
import io.conduit.server.v2.TritonHandler;
import io.conduit.server.v2.V2Handler;
import io.conduit.server.v2.V2Inference;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP front over core, serving every package of a models folder over the V2 protocol, as the
 * remote inference service or the workstation agent; started with a registry folder, it also
 * serves that registry's API under {@code /conduit/v1} (see {@link RegistryHandler}). Built on
 * Jetty 12's core handler API, which
 * streams large bodies without buffering them whole and holds up under many concurrent uploads.
 * With a gRPC port it also serves the Open Inference Protocol over gRPC ({@link GrpcFront}), through the
 * same inference path, access check and upload gate as the HTTP port.
 * {@link #close()} first answers readiness 503 while still serving (for the drain delay, so load
 * balancers stop sending), then stops accepting connections, lets in-flight requests finish (up
 * to the drain timeout), then drains the model queues.
 */
public final class ConduitServer implements AutoCloseable {
    private static final int NETWORK_BUFFER = 1 << 20;
    /** Models verified and given sessions at once: each load is mostly one core's work (hashing, graph optimisation). */
    private static final int LOAD_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ServerConfig config;
    private final ModelRepository repository;
    /** Filled by the loader's threads as models load, read by request threads. */
    private final Map<ModelPackage, ModelScheduler> schedulers = new java.util.concurrent.ConcurrentHashMap<>();
    private final ModelLoader loader;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Server jetty;
    private final ServerConnector connector;
    private final ServerConnector metricsConnector;
    /** Counted down when shutdown begins its drain delay: still listening, ready 503. */
    final java.util.concurrent.CountDownLatch draining = new java.util.concurrent.CountDownLatch(1);
    private final V2Inference inference;
    private final V2Handler handler;
    private final ActivityTracker activity;
    private final FeedbackUploader uploader;
    private final TelemetryForwarder forwarder;
    private final TelemetryStore telemetryStore;
    private final List<String> warnings = new java.util.ArrayList<>();
    private final AccessCheck access;
    /** The upload limits of both ports. */
    private final UploadGate uploads;
    private final TritonHandler triton;
    private final GpuReadinessGate gpuGate;
    /** The gRPC port, once started; null without --grpc-port. */
    private volatile GrpcFront grpc;

    private ConduitServer(ServerConfig config, InferenceEngine engine) {
        this.config = config;
        InetAddress address = config.mode().bindAddress(config.host());
        TokenStore tokens = AnonymousAccess.apply(config.tokens(), address, config.allowAnonymousWrites(), warnings);
        this.access = new AccessCheck(tokens);
        this.repository = config.registry()
                .map(r -> ModelRepository.fromRegistry(r, config.registryCache(), config.resolvableOnly()))
                .orElseGet(() -> config.cacheOnly().map(ModelRepository::fromCache)
                        .orElseGet(() -> ModelRepository.load(config.modelsDir())));
        this.loader = new ModelLoader(repository, engine, pkg -> schedulers.put(pkg,
                new ModelScheduler(pkg, engine, config.batching(pkg.manifest().name()), metrics)), LOAD_THREADS);
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("conduit-http");
        // Jetty's default pool keeps buffers of up to 64 KiB only, so each of the 1 MiB network buffers
        // below was a fresh direct buffer, zeroed and page-faulted in, some 25 times per 25 MB body.
        this.jetty = new Server(threads, null, new ArrayByteBufferPool.Quadratic(0, NETWORK_BUFFER, Integer.MAX_VALUE));
        this.connector = connector(jetty, config);
        connector.setHost(address.getHostAddress());
        connector.setPort(config.port());
        // At shutdown, a keep-alive connection with no request on it is closed after this long
        // (Jetty's default is 1 s, paid per idle client); one that is still sending keeps draining.
        connector.setShutdownIdleTimeout(200);
        // A connection that sends nothing for this long is closed, so a stalled upload frees its thread.
        connector.setIdleTimeout(config.uploadLimits().readIdle().toMillis());
        jetty.addConnector(connector);
        this.metricsConnector = config.metricsPort().isPresent() ? new ServerConnector(jetty) : null;
        if (metricsConnector != null) {
            metricsConnector.setHost(address.getHostAddress());
            metricsConnector.setPort(config.metricsPort().getAsInt());
            metricsConnector.setShutdownIdleTimeout(200);
            jetty.addConnector(metricsConnector);
        }
        this.inference = new V2Inference(repository, schedulers, metrics, config.bufferPool(),
                config.registry().orElse(null));
        this.handler = new V2Handler(inference, repository, metrics, config.maxRequestBytes(), config.maxJsonBytes());
        io.conduit.core.registry.DirectoryRegistry hosted = config.registry()
                .filter(r -> r instanceof io.conduit.core.registry.DirectoryRegistry)
                .map(r -> (io.conduit.core.registry.DirectoryRegistry) r).orElse(null);
        org.eclipse.jetty.server.Handler.Sequence routes = new org.eclipse.jetty.server.Handler.Sequence();
        if (config.requireGpu()) {
            if (!(engine instanceof io.conduit.core.engine.local.LocalEngine local)) {
                throw new ConduitException(ErrorCode.USAGE, "--require-gpu needs the local engine's GPU probe");
            }
            this.gpuGate = new GpuReadinessGate(local::gpuStatus);
            routes.addHandler(gpuGate);
        } else {
            this.gpuGate = null;
        }
        if (config.agentHome().isPresent()) {
            inference.recordAs("agent");
            this.forwarder = config.telemetryService().map(s -> new TelemetryForwarder(metrics.telemetry(), s,
                    config.feedbackToken(), java.time.Duration.ofSeconds(30))).orElse(null);
            FeedbackSpool spool = new FeedbackSpool(config.agentHome().get().resolve("feedback"));
            this.uploader = config.feedbackService().map(s -> new FeedbackUploader(spool, s, config.feedbackToken()))
                    .orElse(null);
            routes.addHandler(new AgentHandler(repository, config.registry().orElse(null), config.agentHome().get(), engine, spool, uploader));
        } else {
            this.uploader = null;
            this.forwarder = null;
        }
        config.feedbackStore().ifPresent(store -> routes.addHandler(new FeedbackHandler(store)));
        this.telemetryStore = config.feedbackStore().map(s -> TelemetryStore.open(s.url())).orElse(null);
        if (telemetryStore != null) {
            metrics.telemetry().restore(telemetryStore.recent(Telemetry.CAPACITY));
        }
        routes.addHandler(new TelemetryHandler(metrics, telemetryStore));
        routes.addHandler(new UiHandler(repository, config.registry().orElse(null), metrics));
        routes.addHandler(new RegistryHandler(hosted));
        this.triton = new TritonHandler(repository, pkg -> schedulers.get(pkg).batchable()
                ? config.batching(pkg.manifest().name()).maxBatchSize() : 0, metrics.statistics());
        routes.addHandler(triton);
        routes.addHandler(handler);
        this.uploads = new UploadGate(routes, config.uploadLimits(), !tokens.enforced(), config.maxRequestBytes(),
                config.maxJsonBytes());
        // Rates before uploads: a write refused for its rate never takes an upload slot.
        org.eclipse.jetty.server.Handler authenticated = new AuthHandler(access, new RateGate(uploads,
                java.util.Map.of(FeedbackHandler.PATH, config.rateLimits().feedbackPerMinute(),
                        FeedbackHandler.PATH + "/", config.rateLimits().feedbackPerMinute(),
                        TelemetryHandler.INGEST, config.rateLimits().telemetryPerMinute()), System::nanoTime));
        this.activity = new ActivityTracker(config.accessLog()
                .<org.eclipse.jetty.server.Handler>map(sink -> new AccessLog(authenticated, sink)).orElse(authenticated));
        if (metricsConnector != null) {
            // In front of the auth layer: the metrics port answers GET /metrics without a token, and nothing else.
            org.eclipse.jetty.server.Handler.Sequence front = new org.eclipse.jetty.server.Handler.Sequence();
            front.addHandler(new MetricsPortHandler(metricsConnector, metrics));
            front.addHandler(activity);
            jetty.setHandler(new GracefulHandler(front));
        } else {
            jetty.setHandler(new GracefulHandler(activity));
        }
        jetty.setStopTimeout(config.drainTimeout().toMillis());
        jetty.setStopAtShutdown(false);
    }

    /**
     * Starts listening, loads the models in the background and returns once every one has loaded
     * or failed (see {@link #problems()}): for callers that want all models before going on (the
     * workstation agent, which announces itself only then; tests).
     */
    public static ConduitServer start(ServerConfig config, InferenceEngine engine) {
        ConduitServer server = listen(config, engine);
        try {
            server.loader.await(Duration.ofDays(365));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new ConduitException(ErrorCode.INTERNAL, "interrupted while loading the models", e);
        }
        return server;
    }

    /**
     * Starts listening and returns at once, while the models load in the background: liveness
     * answers from now on, each model's readiness as soon as that model has loaded, the server's
     * once every model has loaded or failed; a request for a model still loading is answered 503
     * with {@code Retry-After} ({@code CDT-MODEL-NOT-READY}). This is {@code conduit serve}.
     */
    public static ConduitServer listen(ServerConfig config, InferenceEngine engine) {
        ConduitServer server = new ConduitServer(config, engine);
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.close();
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        if (config.grpcPort().isPresent()) {
            try {
                server.grpc = GrpcFront.start(new GrpcFront.Settings(
                        new java.net.InetSocketAddress(config.mode().bindAddress(config.host()), config.grpcPort().getAsInt()),
                        config.maxRequestBytes(), config.uploadLimits().perCaller(), config.keystore().orElse(null),
                        config.keystorePassword(), config.accessLog().orElse(null)),
                        server.inference, server.access, server.uploads, server.triton, server::ready);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        server.handler.setReady(true);
        server.loader.start();
        return server;
    }

    /** Waits up to {@code timeout} for every model to have loaded or failed; true when all have. */
    public boolean awaitModels(Duration timeout) throws InterruptedException {
        return loader.await(timeout);
    }

    private static ServerConnector connector(Server jetty, ServerConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Tensors arrive and leave in tens of megabytes: large buffers mean fewer wake-ups per body
        // (measured in bench/: 8 KiB defaults held a 25 MB upload to well under half of loopback speed).
        http.setOutputBufferSize(NETWORK_BUFFER);
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
        httpFactory.setInputBufferSize(NETWORK_BUFFER);
        if (config.keystore().isEmpty()) {
            return new ServerConnector(jetty, httpFactory);
        }
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(config.keystore().get().toString());
        tls.setKeyStorePassword(config.keystorePassword());
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach a GPU box by IP, short name or load-balancer name; refusing every Host that
        // is not the certificate's name (Jetty's default) would break them and the health checks.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        return new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"), httpFactory);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} (or https), as clients configure it. */
    public URI baseUri() {
        String scheme = config.keystore().isPresent() ? "https" : "http";
        String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
        return URI.create(scheme + "://" + host + ":" + port());
    }

    /** The port {@code GET /metrics} is served on without a token, when one was asked for. */
    public java.util.OptionalInt metricsPort() {
        return metricsConnector == null ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(metricsConnector.getLocalPort());
    }

    /** The port of the Open Inference Protocol over gRPC, when one was asked for. */
    public java.util.OptionalInt grpcPort() {
        GrpcFront front = grpc;
        return front == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(front.port());
    }

    /**
     * The readiness both ports answer, before each model's own state: started and not shutting down, and
     * with --require-gpu, CUDA confirmed.
     */
    private boolean ready() {
        return handler.ready() && (gpuGate == null || gpuGate.refusal().isEmpty());
    }

    /** How long no request has been in flight; zero while one is. */
    public Duration idleFor() {
        return Duration.ofNanos(activity.idleNanos());
    }

    /** What the operator should know about how this server was started (e.g. open to the network without tokens). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Waits up to {@code timeout} for one model version (the newest for a null version) to be ready
     * or unavailable, and says which; {@link ModelState#LOADING} when the time ran out.
     */
    public ModelState awaitModel(String name, String version, Duration timeout) throws InterruptedException {
        return repository.awaitModel(name, version, timeout);
    }

    /** Every configured model version and where it stands now (loading, ready, unavailable and why). */
    public List<ModelStatus> modelStatus() {
        return repository.status();
    }

    /** Packages that could not be served, with the reason. */
    public List<String> problems() {
        return repository.problems();
    }

    /** The model versions loaded so far. */
    public List<ModelPackage> models() {
        return repository.all();
    }

    @Override
    public void close() {
        handler.setReady(false);
        draining.countDown();
        if (!config.drainDelay().isZero()) {
            // Still listening: readiness says 503 so load balancers and Kubernetes stop sending, liveness
            // stays 200, and requests that arrive meanwhile are served. Then Jetty stops accepting and drains.
            try {
                Thread.sleep(config.drainDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loader.close();
        long drainEnds = System.nanoTime() + config.drainTimeout().toNanos();
        GrpcFront front = grpc;
        if (front != null) {
            front.stopAccepting(); // both ports drain at once, within one drain timeout
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping is best effort; the queues below still drain
        }
        if (front != null) {
            front.drain(Duration.ofNanos(Math.max(0, drainEnds - System.nanoTime())));
        }
        ModelScheduler.closeAll(schedulers.values());
        repository.close();
        if (uploader != null) {
            uploader.close();
        }
        if (forwarder != null) {
            forwarder.flush(); // what the agent did last still reaches the service
            forwarder.close();
        }
        if (telemetryStore != null) {
            telemetryStore.close();
        }
        config.feedbackStore().ifPresent(FeedbackStore::close);
    }
}
