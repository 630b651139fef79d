package io.conduit.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key Conduit reads, with its default, its kind and what it does. One table
 * serves the loader (which refuses unknown keys, nearly always typos), {@code conduit doctor}
 * (which prints each value and where it came from) and {@code docs/configuration.md}.
 */
public enum Setting {
    DEVICE("device", Kind.CHOICE, "auto", "Where to run when a command does not say: auto, gpu, cpu or remote.",
            "auto", "gpu", "cpu", "remote"),
    ENGINE_INTRA_OP_THREADS("engine.intraOpThreads", Kind.INT, "0",
            "ONNX Runtime threads per inference; 0 lets ONNX Runtime choose (one per core)."),
    ENGINE_ALLOW_SPINNING("engine.allowSpinning", Kind.BOOL, "false",
            "Let idle ONNX Runtime threads busy-wait: lower latency, but they take CPU from the artist's application."),
    REMOTE_ENDPOINTS("remote.endpoints", Kind.LIST, "",
            "Base URLs of inference services (Conduit, Triton or KServe), comma-separated; empty: no remote route."),
    REMOTE_TOKEN("remote.token", Kind.STRING, "", "Bearer token sent to the services; empty: none."),
    REMOTE_CONNECT_TIMEOUT_MS("remote.connectTimeoutMs", Kind.INT, "2000", "Time to open a connection to a service."),
    REMOTE_DEADLINE_MS("remote.deadlineMs", Kind.INT, "120000",
            "Overall deadline of one remote inference, retries included."),
    REMOTE_READINESS_TTL_MS("remote.readinessTtlMs", Kind.INT, "5000", "How long a service's readiness answer is trusted."),
    REMOTE_BREAKER_FAILURES("remote.breakerFailures", Kind.INT, "3",
            "Consecutive failures after which a service is skipped for remote.breakerOpenMs."),
    REMOTE_BREAKER_OPEN_MS("remote.breakerOpenMs", Kind.INT, "15000", "How long a failing service is skipped before it is probed again."),
    REMOTE_RETRY_BASE_MS("remote.retryBaseMs", Kind.INT, "50", "First retry back-off (full jitter, doubling each try)."),
    REMOTE_RETRY_MAX_MS("remote.retryMaxMs", Kind.INT, "2000", "Longest single retry back-off."),
    REMOTE_BINARY("remote.binary", Kind.BOOL, "true",
            "Send tensors with the binary extension when the service supports it; false forces JSON."),
    REGISTRY("registry", Kind.STRING, "",
            "The model registry: a folder (a studio file share) or the URL of conduit serve --registry"
                    + " (http://host:port); empty: ~/.conduit/registry."),
    REGISTRY_TOKEN("registry.token", Kind.STRING, "", "Bearer token sent to an HTTP registry; empty: none."),
    CACHE("cache", Kind.STRING, "", "Where pulled packages are kept; empty: ~/.conduit/cache."),
    CACHE_MAX_MIB("cache.maxMiB", Kind.INT, "20480",
            "Size bound of the cache; the least recently used versions are removed beyond it."),
    BATCH_CACHE_MAX_MIB("batchCache.maxMiB", Kind.INT, "10240",
            "Size bound of conduit batch's result cache (the cache folder's batch/); after each job, and on"
                    + " conduit cache prune, the least recently used frames are removed beyond it."),
    REGISTRY_SIGNING_KEY("registry.signingKey", Kind.STRING, "",
            "Folder of the studio's Ed25519 key pair (conduit models keygen); set where models are published."),
    REGISTRY_TRUST_STORE("registry.trustStore", Kind.STRING, "",
            "Folder of trusted public keys (*.pem); versions signed by other keys are refused, at pull and when a cached copy is used offline."),
    REGISTRY_ALLOW_UNSIGNED("registry.allowUnsigned", Kind.BOOL, "false",
            "Accept versions published without a signature (a scratch registry, or before keys are set up), pulled or cached."),
    ASSET_CATALOG("assetCatalog", Kind.STRING, "",
            "JSON file mapping asset names to tags (the default AssetCatalog); empty: arguments are tags."),
    SCOPE_SHOW_VARIABLE("scope.showVariable", Kind.STRING, "SHOW",
            "Environment variable the studio launcher sets to the artist's show, for rollout rules."),
    SCOPE_DEPARTMENT_VARIABLE("scope.departmentVariable", Kind.STRING, "DEPT",
            "Environment variable the studio launcher sets to the artist's department, for rollout rules."),
    AGENT_IDLE_SECONDS("agent.idleSeconds", Kind.INT, "3600",
            "The workstation agent exits after this long without a request; bridges start it again when needed."),
    FEEDBACK_SERVICE("feedback.service", Kind.STRING, "",
            "The Conduit service the agent uploads artists' feedback to; empty: the first remote endpoint."),
    FEEDBACK_UPLOAD("feedback.upload", Kind.BOOL, "true",
            "Whether the agent uploads feedback at all (false keeps it in ~/.conduit/feedback only)."),
    TELEMETRY_UPLOAD("telemetry.upload", Kind.BOOL, "true",
            "Whether the agent forwards its inference records (route, latency, errors) to the feedback service.");

    /** The kind of value a key holds. */
    public enum Kind { STRING, INT, BOOL, LIST, CHOICE }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final String description;
    private final String[] choices;

    Setting(String key, Kind kind, String defaultValue, String description, String... choices) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
        this.choices = choices;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /**
     * The one rule for environment names: {@code CONDUIT_}, then the key with each {@code .} as {@code _}
     * and a {@code _} before each capital that starts a word, upper-cased; a unit is one word
     * ({@code MiB}, {@code Ms}). {@code remote.connectTimeoutMs} → {@code CONDUIT_REMOTE_CONNECT_TIMEOUT_MS},
     * {@code cache.maxMiB} → {@code CONDUIT_CACHE_MAX_MIB}.
     */
    public String environmentName() {
        return "CONDUIT_" + key.replace("MiB", "Mib").replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_')
                .toUpperCase(Locale.ROOT);
    }

    /** Names this key's variable had before the rule above, still read, with a warning naming the new one. */
    String oldEnvironmentName() {
        return "CONDUIT_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** Checks a value against this key's kind, returning it normalised, or an error message. */
    String validate(String value) {
        String v = value.strip();
        return switch (kind) {
            case INT -> {
                int minimum = key.endsWith("Ms") && !key.equals("remote.readinessTtlMs") ? 1 : 0;
                try {
                    if (Integer.parseInt(v) < minimum) {
                        throw new NumberFormatException();
                    }
                    yield v;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + value + "\" is not a whole number of " + minimum + " or more");
                }
            }
            case BOOL -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("\"" + value + "\" is not true or false");
                }
                yield v.toLowerCase(Locale.ROOT);
            }
            case CHOICE -> {
                if (Arrays.stream(choices).noneMatch(c -> c.equalsIgnoreCase(v))) {
                    throw new IllegalArgumentException("\"" + value + "\" is not one of " + String.join(", ", choices));
                }
                yield v.toLowerCase(Locale.ROOT);
            }
            default -> v;
        };
    }
}
