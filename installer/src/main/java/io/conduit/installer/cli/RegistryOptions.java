package io.conduit.installer.cli;

import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.ConfigLoader;
import io.conduit.core.config.Setting;
import io.conduit.core.registry.ArtistContext;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.HttpRegistry;
import io.conduit.core.registry.Registry;
import io.conduit.core.registry.TrustPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --registry} and the signing options, and the registry (folder or URL) and cache the configuration names. */
final class RegistryOptions {
    @Option(names = "--registry", paramLabel = "DIR|URL",
            description = "The model registry: a folder, or the URL of a conduit serve --registry (http://host:port)."
                    + " Default: the registry setting (CONDUIT_REGISTRY), else ~/.conduit/registry.")
    String registry;

    @Option(names = "--signing-key", paramLabel = "DIR", description = "Sign with this key pair (registry.signingKey).")
    Path signingKey;

    @Option(names = "--trust-store", paramLabel = "DIR", description = "Trusted public keys (registry.trustStore).")
    Path trustStore;

    @Option(names = "--allow-unsigned", description = "Accept unsigned versions (registry.allowUnsigned).")
    boolean allowUnsigned;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where pulled packages are kept (cache).")
    Path cache;

    ConduitConfig config() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (registry != null) {
            flags.put(Setting.REGISTRY.key(), registry);
        }
        if (signingKey != null) {
            flags.put(Setting.REGISTRY_SIGNING_KEY.key(), signingKey.toString());
        }
        if (trustStore != null) {
            flags.put(Setting.REGISTRY_TRUST_STORE.key(), trustStore.toString());
        }
        if (allowUnsigned) {
            flags.put(Setting.REGISTRY_ALLOW_UNSIGNED.key(), "true");
        }
        if (cache != null) {
            flags.put(Setting.CACHE.key(), cache.toString());
        }
        return ConfigLoader.fromProcess(flags);
    }

    Registry open() {
        ConduitConfig config = config();
        String location = config.get(Setting.REGISTRY);
        String signing = config.get(Setting.REGISTRY_SIGNING_KEY);
        TrustPolicy policy = signing.isBlank() ? verifying(config)
                : TrustPolicy.signingWith(Path.of(signing), trustStore(config), config.getBool(Setting.REGISTRY_ALLOW_UNSIGNED));
        if (HttpRegistry.isUrl(location)) {
            return new HttpRegistry(URI.create(location), config.get(Setting.REGISTRY_TOKEN), policy);
        }
        return new DirectoryRegistry(location.isBlank() ? home().resolve(".conduit").resolve("registry")
                : Path.of(location), policy);
    }

    /** {@code conduit batch}'s result cache: {@code folder} when given, else the cache folder's batch/, within batchCache.maxMiB. */
    io.conduit.core.batch.BatchCache batchCache(Path folder) {
        return new io.conduit.core.batch.BatchCache(folder != null ? folder : cache().resolve("batch"),
                (long) config().getInt(Setting.BATCH_CACHE_MAX_MIB) << 20);
    }

    Path cache() {
        String path = config().get(Setting.CACHE);
        return path.isBlank() ? home().resolve(".conduit").resolve("cache") : Path.of(path);
    }

    /** The workstation cache, whose copies used offline pass the same trust policy as a pull. */
    io.conduit.core.registry.ModelCache modelCache() {
        return modelCache((long) config().getInt(Setting.CACHE_MAX_MIB) << 20);
    }

    /** As above, bounded by {@code maxBytes} instead of cache.maxMiB. */
    io.conduit.core.registry.ModelCache modelCache(long maxBytes) {
        return new io.conduit.core.registry.ModelCache(cache(), maxBytes, verifying(config()));
    }

    /** The trust store and unsigned rule of {@code config}, without the signing key (checking needs none). */
    private static TrustPolicy verifying(ConduitConfig config) {
        return TrustPolicy.of(trustStore(config), config.getBool(Setting.REGISTRY_ALLOW_UNSIGNED));
    }

    private static Path trustStore(ConduitConfig config) {
        String trust = config.get(Setting.REGISTRY_TRUST_STORE);
        return trust.isBlank() ? null : Path.of(trust);
    }

    /** The artist's show, department and user: from the launcher's variables, overridden by flags. */
    ArtistContext context(String show, String department, String user) {
        ConduitConfig config = config();
        ArtistContext env = ArtistContext.fromEnvironment(System.getenv(), config.get(Setting.SCOPE_SHOW_VARIABLE),
                config.get(Setting.SCOPE_DEPARTMENT_VARIABLE));
        return new ArtistContext(show != null ? show : env.show(), department != null ? department : env.department(),
                user != null ? user : env.user());
    }

    private static Path home() {
        return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")));
    }
}
