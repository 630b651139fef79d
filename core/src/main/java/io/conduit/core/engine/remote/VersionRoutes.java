package io.conduit.core.engine.remote;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.triton.TritonModelConfig;
import io.conduit.core.triton.TritonVersion;
import io.conduit.core.triton.TritonVersionMap;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which version path segment names a package on a service. Triton routes only integer versions,
 * so the engine asks {@code GET /v2/models/NAME/config} (answered by Triton and by
 * {@code conduit serve}) for the {@link TritonVersionMap} in its parameters, takes the number
 * recorded for the manifest's semantic version, and checks that the manifest sha256 recorded with
 * it is this package's: a service holding another package under the same name and version is
 * refused, never used. A service whose config endpoint is missing (a {@code conduit serve} older
 * than this map) gets the semantic version, as before. Answers are kept for the readiness period.
 */
final class VersionRoutes {
    private final V2HttpClient client;
    private final long ttlNanos;
    private final Map<Key, Route> routes = new ConcurrentHashMap<>();
    private final Map<ModelPackage, String> manifestDigests = new WeakHashMap<>();

    VersionRoutes(V2HttpClient client, Duration ttl) {
        this.client = client;
        this.ttlNanos = ttl.toNanos();
    }

    private record Key(String endpoint, String model, String version, String manifestSha256) {
    }

    private record Route(String segment, long at) {
    }

    /** The version segment to call {@code pkg} by on {@code endpoint}. */
    String segment(Endpoint endpoint, ModelPackage pkg, Duration timeout) throws IOException, RemoteStatusException {
        Manifest m = pkg.manifest();
        String sha = manifestSha256(pkg);
        Key key = new Key(endpoint.base(), m.name(), m.version().toString(), sha);
        Route known = routes.get(key);
        long now = System.nanoTime();
        if (known != null && now - known.at() < ttlNanos) {
            return known.segment();
        }
        String segment = discover(endpoint, m, sha, timeout);
        routes.put(key, new Route(segment, System.nanoTime()));
        return segment;
    }

    /** Forgets what {@code endpoint} said about {@code pkg}'s model (it answered 404 for it). */
    void forget(Endpoint endpoint, Manifest m) {
        routes.keySet().removeIf(k -> k.endpoint().equals(endpoint.base()) && k.model().equals(m.name()));
    }

    private String discover(Endpoint endpoint, Manifest m, String sha, Duration timeout)
            throws IOException, RemoteStatusException {
        JsonObject config;
        try {
            config = client.config(endpoint, m.name(), timeout);
        } catch (RemoteStatusException e) {
            if (e.status == 404 || e.status == 400 || e.status == 405) {
                return m.version().toString(); // no config endpoint (or no such model): the semantic route says which
            }
            throw e;
        }
        TritonVersionMap map = TritonVersionMap.fromParameters(TritonModelConfig.parameters(config));
        if (map.versions().isEmpty()) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, endpoint.base() + " serves a model \"" + m.name()
                    + "\" whose config has no Conduit version map (parameters conduit_version_N), so nothing says which"
                    + " of its numbered versions is " + m.coordinate() + "; export it with conduit models export-triton");
        }
        TritonVersion served = map.find(m.version()).orElseThrow(() -> new ConduitException(ErrorCode.MODEL_NOT_FOUND,
                endpoint.base() + " serves " + m.name() + " versions " + describe(map) + " but not " + m.version()));
        if (!served.manifestSha256().equals(sha)) {
            // The same words as the service's own Conduit-Package-Digest check, so a TD meets one message.
            throw new ConduitException(ErrorCode.PACKAGE_MISMATCH, endpoint.base() + ": the service holds a different "
                    + m.coordinate() + " (package digest " + abbreviate(served.manifestSha256()) + "; the caller's is "
                    + abbreviate(sha) + "), its version " + served.number() + " with manifest sha256 "
                    + served.manifestSha256() + " where this package's is " + sha + "; refusing to run it there. Export this package to that repository,"
                    + " or publish this one under a new version");
        }
        return Long.toString(served.number());
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String describe(TritonVersionMap map) {
        return map.versions().stream().map(v -> v.version() + " as " + v.number()).collect(Collectors.joining(", ", "[", "]"));
    }

    private String manifestSha256(ModelPackage pkg) throws IOException {
        synchronized (manifestDigests) {
            String known = manifestDigests.get(pkg);
            if (known != null) {
                return known;
            }
        }
        String sha = Sha256.ofFile(pkg.root().resolve(ModelPackage.MANIFEST));
        synchronized (manifestDigests) {
            manifestDigests.put(pkg, sha);
        }
        return sha;
    }
}
