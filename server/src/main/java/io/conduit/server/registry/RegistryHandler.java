package io.conduit.server.registry;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.registry.ArtistContext;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.RegistryApi;
import io.conduit.core.registry.Resolution;
import io.conduit.core.registry.RolloutRule;
import io.conduit.core.registry.VersionRecord;
import io.conduit.server.http.AccessPolicy;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.Caller;
import io.conduit.server.http.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The registry's HTTP API ({@code /conduit/v1/...}, paths in {@link RegistryApi}) over a
 * {@link DirectoryRegistry}: what {@code HttpRegistry} on a workstation talks to. Version records
 * go out exactly as stored, signature included, so clients verify them against their own trust
 * store. Uploaded content is kept only if it hashes to the digest it was sent under. Writes need the
 * {@code publish} role ({@link AccessPolicy}), and the token's user is always recorded as the publisher. A server started
 * without a registry answers every registry call with 404 and says how to start one.
 */
public final class RegistryHandler extends Handler.Abstract {
    /** JSON bodies here are manifests and rules: small. Content goes through the blob upload instead. */
    private static final int MAX_JSON_BYTES = 4 << 20;
    private static final Pattern MODEL_PATH = Pattern.compile(
            RegistryApi.PREFIX + "/models/([^/]+)/(versions|aliases|rollout|resolve)(?:/([^/]+)(?:/(signature|yank))?)?/?");
    private static final Pattern BLOB_PATH = Pattern.compile(RegistryApi.PREFIX + "/blobs/([^/]+)/?");

    private final DirectoryRegistry registry;

    public RegistryHandler(DirectoryRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(RegistryApi.PREFIX) && !path.startsWith(RegistryApi.PREFIX + "/")) {
            return false;
        }
        String method = request.getMethod();
        try {
            if (registry == null) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "this server hosts no registry; start it with"
                        + " conduit serve --registry DIR");
            }
            route(method, path, request, response, callback, AuthHandler.caller(request));
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
        } catch (com.google.gson.JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "the request body is not the JSON " + method + " "
                    + path + " expects: " + e.getMessage() + "; see docs/registry.md");
        } catch (Exception e) {
            HttpExchange.internal(response, callback, ErrorCode.INTERNAL, e);
        }
        return true;
    }

    private void route(String method, String path, Request request, Response response, Callback callback, Caller caller)
            throws IOException {
        if (path.equals(RegistryApi.PREFIX) || path.equals(RegistryApi.PREFIX + "/")) {
            allow(method, "GET", response);
            JsonObject about = new JsonObject();
            about.addProperty("api", "conduit-registry/1");
            HttpExchange.json(response, callback, 200, about);
            return;
        }
        if (path.equals(RegistryApi.models()) || path.equals(RegistryApi.models() + "/")) {
            allow(method, "GET", response);
            JsonObject answer = new JsonObject();
            answer.add("models", strings(registry.models()));
            HttpExchange.json(response, callback, 200, answer);
            return;
        }
        if (path.equals(RegistryApi.MISSING_BLOBS)) {
            allow(method, "POST", response);
            JsonArray missing = new JsonArray();
            JsonElement digests = readJson(request).getAsJsonObject().get("sha256");
            if (digests == null || !digests.isJsonArray()) {
                throw new ConduitException(ErrorCode.USAGE, "expected {\"sha256\": [DIGEST, ...]}");
            }
            for (JsonElement digest : digests.getAsJsonArray()) {
                if (!digest.isJsonPrimitive() || !digest.getAsJsonPrimitive().isString()) {
                    throw new ConduitException(ErrorCode.USAGE, "expected {\"sha256\": [DIGEST, ...]} of strings");
                }
                if (!registry.hasBlob(digest.getAsString())) {
                    missing.add(digest.getAsString());
                }
            }
            JsonObject answer = new JsonObject();
            answer.add("missing", missing);
            HttpExchange.json(response, callback, 200, answer);
            return;
        }
        Matcher blob = BLOB_PATH.matcher(path);
        if (blob.matches()) {
            blob(method, blob.group(1), request, response, callback);
            return;
        }
        Matcher model = MODEL_PATH.matcher(path);
        if (!model.matches()) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no registry endpoint " + method + " " + path
                    + "; see docs/registry.md");
        }
        String name = model.group(1);
        String item = model.group(3); // Jetty hands over the path already decoded
        if (model.group(4) != null) {
            if (!model.group(2).equals("versions")) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no registry endpoint " + method + " " + path
                        + "; see docs/registry.md");
            }
            allow(method, "PUT", response);
            VersionRecord amended = amend(name, parseVersion(item), model.group(4), readJson(request).getAsJsonObject(),
                    caller);
            HttpExchange.json(response, callback, 200, amended.toJson());
            return;
        }
        switch (model.group(2)) {
            case "versions" -> versions(method, name, item, request, response, callback, caller.user());
            case "aliases" -> aliases(method, name, item, request, response, callback, caller);
            case "rollout" -> rollout(method, name, item, request, response, callback, caller);
            default -> resolve(method, name, item, request, response, callback);
        }
    }

    private void versions(String method, String name, String version, Request request, Response response,
                          Callback callback, String user) throws IOException {
        if (version == null) {
            allow(method, "GET", response);
            JsonObject answer = new JsonObject();
            answer.add("versions", strings(registry.versions(name).stream().map(SemVer::toString).toList()));
            HttpExchange.json(response, callback, 200, answer);
            return;
        }
        SemVer semVer = parseVersion(version);
        if (method.equals("PUT")) {
            JsonObject body = readJson(request).getAsJsonObject();
            if (!body.has("manifest")) {
                throw new ConduitException(ErrorCode.USAGE, "publishing needs {\"manifest\": TEXT} (and optionally"
                        + " \"publishedBy\" and \"signature\")");
            }
            String manifestText = body.get("manifest").getAsString();
            var manifest = io.conduit.core.manifest.ManifestReader.parse(manifestText);
            if (!manifest.name().equals(name) || !manifest.version().toString().equals(semVer.toString())) {
                throw new ConduitException(ErrorCode.USAGE, "the manifest is " + manifest.coordinate()
                        + " but was sent to " + name + "@" + semVer);
            }
            String publisher = user; // always whom the token names; a "publishedBy" in the body is ignored
            VersionRecord.Signature signature = body.has("signature")
                    ? VersionRecord.Signature.fromJson(body.get("signature")) : null;
            VersionRecord published = registry.commitUpload(manifestText, publisher, signature);
            HttpExchange.json(response, callback, 201, published.toJson());
            return;
        }
        allow(method, "GET", response);
        VersionRecord record = registry.record(name, semVer);
        JsonObject answer = record.toJson();
        // Sizes are not part of the signed record: clients use them only to draw progress.
        JsonObject sizes = new JsonObject();
        for (String digest : record.manifest().files().values()) {
            if (registry.hasBlob(digest)) {
                sizes.addProperty(digest, Files.size(registry.blobFile(digest)));
            }
        }
        answer.add("blobSizes", sizes);
        HttpExchange.json(response, callback, 200, answer);
    }

    /**
     * Signs or yanks a published version: the record changes, the manifest (and so every digest and the
     * version number) does not. Both are studio-wide, so a token limited to shows may do neither; the
     * yanking user is the token's, whatever the body says.
     */
    private VersionRecord amend(String name, SemVer version, String action, JsonObject body, Caller caller) {
        if (caller.limitedToShows()) {
            throw new ConduitException(ErrorCode.FORBIDDEN, "a version's " + (action.equals("yank") ? "withdrawal"
                    : "signature") + " is studio-wide; the token of " + caller.describe() + " is limited to some shows");
        }
        if (action.equals("yank")) {
            JsonElement reason = body.get("reason");
            return registry.yank(name, version, reason != null && reason.isJsonPrimitive() ? reason.getAsString() : "",
                    caller.user());
        }
        if (!body.has("signature") || !body.has("publicKey") || !body.get("publicKey").isJsonPrimitive()) {
            throw new ConduitException(ErrorCode.USAGE, "signing needs {\"signature\": {\"keyId\", \"value\"},"
                    + " \"publicKey\": PEM}: the public half of the key that made the signature");
        }
        return registry.attachSignature(name, version, VersionRecord.Signature.fromJson(body.get("signature")),
                io.conduit.core.registry.Signatures.parsePublic(body.get("publicKey").getAsString(),
                        "the request's publicKey"));
    }

    private void aliases(String method, String name, String alias, Request request, Response response,
                         Callback callback, Caller caller) {
        if (alias == null) {
            allow(method, "GET", response);
            JsonObject answer = new JsonObject();
            registry.aliases(name).forEach((a, v) -> answer.addProperty(a, v.toString()));
            HttpExchange.json(response, callback, 200, answer);
            return;
        }
        allow(method, "PUT", response);
        if (caller.limitedToShows()) {
            throw new ConduitException(ErrorCode.FORBIDDEN, "an alias is studio-wide; the token of " + caller.describe()
                    + " is limited to some shows, so it may set rollout rules for them but not move aliases");
        }
        JsonObject body = readJson(request).getAsJsonObject();
        if (!body.has("version")) {
            throw new ConduitException(ErrorCode.USAGE, "setting an alias needs {\"version\": \"1.2.0\"}");
        }
        SemVer version = parseVersion(body.get("version").getAsString());
        registry.setAlias(name, alias, version);
        HttpExchange.json(response, callback, 200, body);
    }

    private void rollout(String method, String name, String extra, Request request, Response response,
                         Callback callback, Caller caller) {
        notFoundUnlessNull(extra, method, request);
        if (method.equals("PUT")) {
            RolloutRule rule = RolloutRule.fromJson(readJson(request).getAsJsonObject());
            if (caller.limitedToShows() && !(rule.scope() == io.conduit.core.registry.Scope.SHOW
                    && caller.mayUseShow(rule.value()))) {
                throw new ConduitException(ErrorCode.FORBIDDEN, "the token of " + caller.describe() + " may set"
                        + " rollout rules only for its own shows; this rule is for " + rule.scope() + " " + rule.value());
            }
            registry.setRule(name, rule);
            HttpExchange.json(response, callback, 200, rule.toJson());
            return;
        }
        allow(method, "GET", response);
        JsonArray rules = new JsonArray();
        registry.rules(name).forEach(r -> rules.add(r.toJson()));
        JsonObject answer = new JsonObject();
        answer.add("rules", rules);
        HttpExchange.json(response, callback, 200, answer);
    }

    private void resolve(String method, String name, String extra, Request request, Response response,
                         Callback callback) {
        notFoundUnlessNull(extra, method, request);
        allow(method, "GET", response);
        Fields query = Request.extractQueryParameters(request);
        Resolution resolution = registry.resolve(name, new ArtistContext(query.getValue("show"),
                query.getValue("department"), query.getValue("user")));
        JsonObject answer = new JsonObject();
        answer.addProperty("model", resolution.model());
        answer.addProperty("version", resolution.version().toString());
        answer.addProperty("chosenBy", resolution.chosenBy());
        HttpExchange.json(response, callback, 200, answer);
    }

    private void blob(String method, String sha256, Request request, Response response, Callback callback)
            throws IOException {
        if (method.equals("PUT")) {
            try (InputStream body = Content.Source.asInputStream(request)) {
                registry.storeBlob(sha256, body);
            }
            JsonObject answer = new JsonObject();
            answer.addProperty("sha256", sha256);
            HttpExchange.json(response, callback, 201, answer);
            return;
        }
        allow(method, "GET", response);
        Path file = registry.blobFile(sha256);
        HttpExchange.stream(response, callback, 200, "application/octet-stream", Files.size(file),
                out -> Files.copy(file, out));
    }

    private static void notFoundUnlessNull(String extra, String method, Request request) {
        if (extra != null) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no registry endpoint " + method + " "
                    + Request.getPathInContext(request) + "; see docs/registry.md");
        }
    }

    private static void allow(String method, String allowed, Response response) {
        if (!method.equals(allowed)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not supported here; use " + allowed);
        }
    }

    private static JsonElement readJson(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "registry requests carry JSON of at most "
                        + (MAX_JSON_BYTES >> 20) + " MiB; file content goes through PUT " + RegistryApi.PREFIX
                        + "/blobs/SHA256");
            }
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "the request body could not be read: " + e.getMessage(), e);
        }
    }

    private static SemVer parseVersion(String text) {
        try {
            return SemVer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + text + "\" is not a version; expected MAJOR.MINOR.PATCH");
        }
    }

    private static JsonArray strings(java.util.List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }
}
