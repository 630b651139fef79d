package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.policy.Engines;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.registry.Registry;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.agent.AgentFile;
import io.conduit.server.agent.AgentLock;
import io.conduit.server.http.TokenStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code conduit agent}: the workstation agent the DCC bridges call. One per user (a second start
 * finds the first and exits 0), loopback only, with a fresh token in {@code agent.json} that only
 * this user can read; every inference goes through the routing policy (local GPU, remote service,
 * CPU). It exits on its own after {@code agent.idleSeconds} without a request.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs the workstation agent that Houdini, Maya and Nuke call (the bridges start it on demand).",
                "Listens on loopback only; its port and token go to HOME/agent.json, readable by this user alone.",
                "Serves the versions the registry's rollout rules can pick (pulled into the cache), or the cached"
                        + " versions when the registry is unreachable, or a models folder with --models."})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--models", paramLabel = "DIR", description = "Serve this folder of packages instead of the registry.")
    Path models;

    @Mixin
    RegistryOptions registryOptions;

    @Option(names = "--home", paramLabel = "DIR", description = "Where agent.json, agent.lock and the feedback spool live."
            + " Default: $CONDUIT_HOME, else ~/.conduit.")
    Path home;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "Exit after this long without a request"
            + " (agent.idleSeconds).")
    Integer idleSeconds;

    @Option(names = "--no-access-log", description = "Write no access log line (time, user, model, version, route,"
            + " status, ms) per request; by default they go to stderr (the agent's agent.log).")
    boolean noAccessLog;

    @Option(names = "--port", defaultValue = "0", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Path agentHome = home != null ? home : defaultHome();
        PrintWriter out = spec.commandLine().getOut();
        Optional<AgentLock> lock = AgentLock.tryAcquire(agentHome);
        if (lock.isEmpty()) {
            out.println("conduit agent: already running for this user (" + agentHome.resolve(AgentFile.NAME) + ")");
            out.flush();
            return 0;
        }
        try (AgentLock held = lock.get()) {
            return serve(agentHome, out);
        }
    }

    private int serve(Path agentHome, PrintWriter out) throws InterruptedException {
        ConduitConfig config = registryOptions.config();
        Duration idle = Duration.ofSeconds(idleSeconds != null ? idleSeconds : config.getInt(Setting.AGENT_IDLE_SECONDS));
        if (idle.isNegative() || idle.isZero()) {
            throw new ConduitException(ErrorCode.USAGE, "--idle-seconds must be positive; got " + idle.toSeconds());
        }
        String token = AgentFile.newToken();
        String user = System.getProperty("user.name", "unknown");
        ServerConfig.Builder builder = ServerConfig.builder(models != null ? models : registryOptions.cache())
                .agent(agentHome).host("127.0.0.1").port(port).tokens(TokenStore.single(token, user))
                .drainTimeout(Duration.ofSeconds(10));
        if (noAccessLog) {
            builder.accessLog(null);
        }
        String source = describeSource(builder);
        String service = config.get(Setting.FEEDBACK_SERVICE);
        if (service.isBlank()) {
            java.util.List<String> endpoints = config.getList(Setting.REMOTE_ENDPOINTS);
            service = endpoints.isEmpty() ? "" : endpoints.get(0);
        }
        if (!service.isBlank()) {
            java.net.URI uri = java.net.URI.create(service);
            builder.feedbackService(config.getBool(Setting.FEEDBACK_UPLOAD) ? uri : null, config.get(Setting.REMOTE_TOKEN));
            if (config.getBool(Setting.TELEMETRY_UPLOAD)) {
                builder.telemetryService(uri);
            }
        }
        RoutingEngine engine = Engines.fromConfig(config);
        ConduitServer server;
        try {
            server = ConduitServer.start(builder.build(), engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        AgentFile file = new AgentFile(server.port(), token, ProcessHandle.current().pid());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS); // let the main thread remove agent.json before the JVM goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "conduit-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            file.write(agentHome);
            out.println("conduit agent: " + server.models().size() + " model version(s) from " + source + " on "
                    + server.baseUri() + " for " + user + "; exits after " + idle.toSeconds() + " s without a request");
            server.problems().forEach(p -> out.println("  skipped " + p));
            out.flush();
            while (!stop.await(Math.min(1000, idle.toMillis()), TimeUnit.MILLISECONDS)) {
                if (server.idleFor().compareTo(idle) >= 0) {
                    out.println("conduit agent: idle for " + idle.toSeconds() + " s; exiting");
                    out.flush();
                    break;
                }
            }
        } finally {
            file.removeFrom(agentHome);
            server.close();
            engine.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what woke us: nothing to remove
            }
        }
        return 0;
    }

    /** Points the builder at the folder, the registry or (offline) the cache; says which for the log. */
    private String describeSource(ServerConfig.Builder builder) {
        if (models != null) {
            return models.toString();
        }
        Registry registry = registryOptions.open();
        var cache = registryOptions.modelCache();
        if (registry.reachable()) {
            builder.registry(registry, cache).resolvableOnly(true);
            return "registry " + registry.describe();
        }
        builder.cacheOnly(cache);
        return "the cache " + cache.root() + " (registry " + registry.describe() + " is unreachable)";
    }

    static Path defaultHome() {
        String env = System.getenv("CONDUIT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".conduit");
    }
}
