package io.conduit.core.registry;

import io.conduit.core.manifest.SemVer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The paths of the registry's HTTP API ({@code /conduit/v1/...}), in one place for the client
 * ({@link HttpRegistry}) and the server that answers them, so the two cannot drift apart.
 * {@code docs/registry.md} describes each call.
 */
public final class RegistryApi {
    public static final String PREFIX = "/conduit/v1";
    /** {@code POST} a JSON list of digests; the answer lists those the registry lacks. */
    public static final String MISSING_BLOBS = PREFIX + "/blobs/missing";

    private RegistryApi() {
    }

    public static String models() {
        return PREFIX + "/models";
    }

    public static String versions(String name) {
        return model(name) + "/versions";
    }

    public static String version(String name, SemVer version) {
        return versions(name) + "/" + encode(version.toString());
    }

    /** {@code PUT} a signature made after publication: {@code {"signature": {...}, "publicKey": PEM}}. */
    public static String signature(String name, SemVer version) {
        return version(name, version) + "/signature";
    }

    /** {@code PUT} a withdrawal: {@code {"reason": TEXT}}; the yanking user is the token's. */
    public static String yank(String name, SemVer version) {
        return version(name, version) + "/yank";
    }

    public static String aliases(String name) {
        return model(name) + "/aliases";
    }

    public static String alias(String name, String alias) {
        return aliases(name) + "/" + encode(alias);
    }

    public static String rollout(String name) {
        return model(name) + "/rollout";
    }

    public static String resolve(String name, ArtistContext context) {
        return model(name) + "/resolve?show=" + encode(context.show()) + "&department=" + encode(context.department())
                + "&user=" + encode(context.user());
    }

    public static String blob(String sha256) {
        return PREFIX + "/blobs/" + encode(sha256);
    }

    private static String model(String name) {
        return models() + "/" + encode(name);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
