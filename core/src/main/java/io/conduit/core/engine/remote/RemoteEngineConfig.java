package io.conduit.core.engine.remote;

import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the remote engine reaches inference services: their base URLs, the bearer token, time
 * limits, the circuit breaker and the retry back-off. Immutable; see {@link Setting} for each key.
 */
public record RemoteEngineConfig(List<URI> endpoints, String token, Duration connectTimeout, Duration deadline,
                                 Duration readinessTtl, int breakerFailures, Duration breakerOpen,
                                 Duration retryBase, Duration retryMax, boolean binary) {
    public RemoteEngineConfig {
        endpoints = List.copyOf(endpoints);
        token = token == null ? "" : token;
        for (URI uri : endpoints) {
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("remote endpoint \"" + uri + "\" is not an http(s) URL like"
                        + " http://gpu01:8000");
            }
        }
    }

    public static RemoteEngineConfig from(ConduitConfig config) {
        List<URI> endpoints;
        try {
            endpoints = config.getList(Setting.REMOTE_ENDPOINTS).stream().map(URI::create).toList();
        } catch (IllegalArgumentException e) {
            throw new io.conduit.core.ConduitException(io.conduit.core.ErrorCode.USAGE, "remote.endpoints (from "
                    + config.source(Setting.REMOTE_ENDPOINTS) + "): " + e.getMessage());
        }
        return new RemoteEngineConfig(endpoints, config.get(Setting.REMOTE_TOKEN),
                millis(config, Setting.REMOTE_CONNECT_TIMEOUT_MS), millis(config, Setting.REMOTE_DEADLINE_MS),
                millis(config, Setting.REMOTE_READINESS_TTL_MS), config.getInt(Setting.REMOTE_BREAKER_FAILURES),
                millis(config, Setting.REMOTE_BREAKER_OPEN_MS), millis(config, Setting.REMOTE_RETRY_BASE_MS),
                millis(config, Setting.REMOTE_RETRY_MAX_MS), config.getBool(Setting.REMOTE_BINARY));
    }

    /** The defaults with these endpoints; for tests and embedding. */
    public static RemoteEngineConfig forEndpoints(List<URI> endpoints) {
        return withEndpoints(from(ConduitConfig.defaults()), endpoints);
    }

    public static RemoteEngineConfig withEndpoints(RemoteEngineConfig c, List<URI> endpoints) {
        return new RemoteEngineConfig(endpoints, c.token, c.connectTimeout, c.deadline, c.readinessTtl,
                c.breakerFailures, c.breakerOpen, c.retryBase, c.retryMax, c.binary);
    }

    public RemoteEngineConfig withDeadline(Duration newDeadline) {
        return new RemoteEngineConfig(endpoints, token, connectTimeout, newDeadline, readinessTtl, breakerFailures,
                breakerOpen, retryBase, retryMax, binary);
    }

    public RemoteEngineConfig withToken(String newToken) {
        return new RemoteEngineConfig(endpoints, newToken, connectTimeout, deadline, readinessTtl, breakerFailures,
                breakerOpen, retryBase, retryMax, binary);
    }

    public RemoteEngineConfig withBinary(boolean useBinary) {
        return new RemoteEngineConfig(endpoints, token, connectTimeout, deadline, readinessTtl, breakerFailures,
                breakerOpen, retryBase, retryMax, useBinary);
    }

    private static Duration millis(ConduitConfig config, Setting setting) {
        return Duration.ofMillis(config.getInt(setting));
    }
}
