package io.conduit.core.registry;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.io.Progress;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The registry served by {@code conduit serve --registry} ({@code /conduit/v1/...}, see
 * {@link RegistryApi}), over OkHttp. The server stores and checks; this client still verifies
 * what it receives as if the server were a plain file share: signatures against the workstation's
 * own trust store, every file against its signed digest. A publish uploads only the content the
 * registry lacks, then commits the version record in one request, which the server creates
 * exclusively, so the HTTP backend keeps the directory backend's guarantees.
 */
public final class HttpRegistry implements Registry {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    /** One client per process: its connection pool is shared by every registry call. */
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .build();

    private final String base;
    private final String token;
    private final TrustPolicy trust;

    /** A registry at {@code base} (e.g. {@code http://models.studio:8000}), with an optional bearer token. */
    public HttpRegistry(URI base, String token, TrustPolicy trust) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token == null ? "" : token;
        this.trust = trust;
    }

    /** Whether {@code location} names an HTTP registry rather than a folder. */
    public static boolean isUrl(String location) {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    @Override
    public String describe() {
        return base;
    }

    @Override
    public boolean reachable() {
        try (Response response = SHARED.newCall(request(RegistryApi.PREFIX).get().build()).execute()) {
            return response.code() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Manifest publish(ModelPackage pkg, String publisher, Progress progress) {
        Manifest manifest = pkg.manifest();
        if (versions(manifest.name()).contains(manifest.version())) {
            throw new ConduitException(ErrorCode.VERSION_EXISTS, manifest.coordinate() + " is already published"
                    + " in " + base + ", and published versions never change; publish it under a new version");
        }
        try {
            String manifestText = Files.readString(pkg.root().resolve(ModelPackage.MANIFEST), StandardCharsets.UTF_8);
            List<String> missing = missingBlobs(manifest.files().values());
            long total = 0;
            for (String file : manifest.files().keySet()) {
                total += Files.size(pkg.root().resolve(file));
            }
            progress.start("publishing " + manifest.coordinate() + " to " + base, total);
            try {
                for (Map.Entry<String, String> file : manifest.files().entrySet()) {
                    Path source = pkg.root().resolve(file.getKey());
                    if (missing.contains(file.getValue())) {
                        upload(source, file.getValue(), progress);
                    } else {
                        progress.advance(Files.size(source));
                    }
                }
            } finally {
                progress.finish();
            }
            JsonObject body = new JsonObject();
            body.addProperty("manifest", manifestText);
            body.addProperty("publishedBy", publisher);
            String[] signature = trust.sign(manifest.name(), manifest.version().toString(), manifestText);
            if (signature != null) {
                body.add("signature", new VersionRecord.Signature(signature[0], signature[1]).toJson());
            }
            JsonElement published = call(request(RegistryApi.version(manifest.name(), manifest.version()))
                    .put(RequestBody.create(body.toString(), JSON)).build());
            return VersionRecord.fromJson(published, manifest.name(), manifest.version(), base).manifest();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + pkg.root() + " to publish it: "
                    + e.getMessage(), e);
        }
    }

    private List<String> missingBlobs(java.util.Collection<String> digests) {
        JsonArray wanted = new JsonArray();
        digests.forEach(wanted::add);
        JsonObject body = new JsonObject();
        body.add("sha256", wanted);
        JsonElement answer = call(request(RegistryApi.MISSING_BLOBS).post(RequestBody.create(body.toString(), JSON)).build());
        List<String> missing = new ArrayList<>();
        answer.getAsJsonObject().getAsJsonArray("missing").forEach(e -> missing.add(e.getAsString()));
        return missing;
    }

    private void upload(Path source, String sha256, Progress progress) {
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() throws IOException {
                return Files.size(source);
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                try (InputStream in = Files.newInputStream(source)) {
                    byte[] chunk = new byte[1 << 16];
                    for (int n; (n = in.read(chunk)) > 0; ) {
                        sink.write(chunk, 0, n);
                        progress.advance(n);
                    }
                }
            }
        };
        call(request(RegistryApi.blob(sha256)).put(body).build());
    }

    @Override
    public List<String> models() {
        List<String> models = new ArrayList<>();
        call(request(RegistryApi.models()).get().build()).getAsJsonObject().getAsJsonArray("models")
                .forEach(e -> models.add(e.getAsString()));
        return models;
    }

    @Override
    public List<SemVer> versions(String name) {
        List<SemVer> versions = new ArrayList<>();
        call(request(RegistryApi.versions(name)).get().build()).getAsJsonObject().getAsJsonArray("versions")
                .forEach(e -> versions.add(SemVer.parse(e.getAsString())));
        return versions;
    }

    @Override
    public Manifest manifest(String name, SemVer version) {
        return record(name, version).manifest();
    }

    @Override
    public VersionRecord record(String name, SemVer version) {
        String path = RegistryApi.version(name, version);
        return VersionRecord.fromJson(call(request(path).get().build()), name, version, base + path);
    }

    @Override
    public ModelPackage pull(String name, SemVer version, Path cacheDir, Progress progress) {
        String path = RegistryApi.version(name, version);
        JsonElement answer = call(request(path).get().build());
        VersionRecord record = VersionRecord.fromJson(answer, name, version, base + path);
        JsonObject sizes = answer.getAsJsonObject().has("blobSizes")
                ? answer.getAsJsonObject().getAsJsonObject("blobSizes") : new JsonObject();
        return VerifiedPull.into(cacheDir, record, trust, new VerifiedPull.BlobSource() {
            @Override
            public long size(String sha256) {
                return sizes.has(sha256) ? sizes.get(sha256).getAsLong() : 0; // for progress only
            }

            @Override
            public void copy(String sha256, String fileName, Path dest, Progress progress) throws IOException {
                download(sha256, dest, progress);
            }
        }, progress);
    }

    private void download(String sha256, Path dest, Progress progress) throws IOException {
        try (Response response = send(request(RegistryApi.blob(sha256)).get().build())) {
            requireSuccess(response);
            try (InputStream in = response.body().byteStream(); OutputStream out = Files.newOutputStream(dest)) {
                byte[] chunk = new byte[1 << 16];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    out.write(chunk, 0, n);
                    progress.advance(n);
                }
            }
        }
    }

    @Override
    public TrustPolicy.Outcome verifySignature(String name, SemVer version) {
        return record(name, version).check(trust);
    }

    @Override
    public Map<String, SemVer> aliases(String name) {
        Map<String, SemVer> aliases = new TreeMap<>();
        call(request(RegistryApi.aliases(name)).get().build()).getAsJsonObject().entrySet()
                .forEach(e -> aliases.put(e.getKey(), SemVer.parse(e.getValue().getAsString())));
        return aliases;
    }

    @Override
    public void setAlias(String name, String alias, SemVer version) {
        JsonObject body = new JsonObject();
        body.addProperty("version", version.toString());
        call(request(RegistryApi.alias(name, alias)).put(RequestBody.create(body.toString(), JSON)).build());
    }

    @Override
    public List<RolloutRule> rules(String name) {
        List<RolloutRule> rules = new ArrayList<>();
        call(request(RegistryApi.rollout(name)).get().build()).getAsJsonObject().getAsJsonArray("rules")
                .forEach(e -> rules.add(RolloutRule.fromJson(e.getAsJsonObject())));
        return rules;
    }

    @Override
    public void setRule(String name, RolloutRule rule) {
        call(request(RegistryApi.rollout(name)).put(RequestBody.create(rule.toJson().toString(), JSON)).build());
    }

    /**
     * Signs here, with this client's signing key, and sends the signature with the key's public half: the
     * server checks it against both before the record gains it (see {@link DirectoryRegistry#attachSignature}).
     * The private key never leaves this machine, and the package's bytes are not sent again.
     */
    @Override
    public VersionRecord sign(String name, SemVer version) {
        VersionRecord current = record(name, version);
        JsonObject body = new JsonObject();
        body.add("signature", trust.signatureFor(current).toJson());
        body.addProperty("publicKey", Signatures.publicPem(trust.signingPublicKey()));
        String path = RegistryApi.signature(name, version);
        return VersionRecord.fromJson(call(request(path).put(RequestBody.create(body.toString(), JSON)).build()),
                name, version, base + path);
    }

    /** Withdraws the version; the server records its token's user as who yanked it, so {@code by} is not sent. */
    @Override
    public VersionRecord yank(String name, SemVer version, String reason, String by) {
        JsonObject body = new JsonObject();
        body.addProperty("reason", reason == null ? "" : reason);
        String path = RegistryApi.yank(name, version);
        return VersionRecord.fromJson(call(request(path).put(RequestBody.create(body.toString(), JSON)).build()),
                name, version, base + path);
    }

    @Override
    public Resolution resolve(String name, ArtistContext context) {
        JsonObject answer = call(request(RegistryApi.resolve(name, context)).get().build()).getAsJsonObject();
        return new Resolution(answer.get("model").getAsString(), SemVer.parse(answer.get("version").getAsString()),
                answer.get("chosenBy").getAsString());
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder().url(base + path);
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Sends the request and parses its JSON answer, turning every failure into a typed error. */
    private JsonElement call(Request request) {
        try (Response response = send(request)) {
            requireSuccess(response);
            String text = response.body().string();
            try {
                return JsonParser.parseString(text);
            } catch (com.google.gson.JsonParseException e) {
                throw new ConduitException(ErrorCode.PROTOCOL, base + " answered " + request.url().encodedPath()
                        + " with something other than JSON; is it a Conduit registry?");
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Response send(Request request) {
        try {
            return SHARED.newCall(request).execute();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private ConduitException unreachable(IOException e) {
        return new ConduitException(ErrorCode.REMOTE_UNAVAILABLE, "registry " + base + " is unreachable: " + e, e);
    }

    /** Turns a failure answer ({@code {"error": ..., "code": ...}}) back into the error the server raised. */
    private void requireSuccess(Response response) throws IOException {
        if (response.isSuccessful()) {
            return;
        }
        String text = response.body() == null ? "" : response.body().string();
        String message = text.isBlank() ? "HTTP " + response.code() : text;
        ErrorCode code = switch (response.code()) {
            case 401, 403 -> ErrorCode.UNAUTHORIZED;
            case 404 -> ErrorCode.FILE_NOT_FOUND;
            case 409 -> ErrorCode.VERSION_EXISTS;
            case 503 -> ErrorCode.REMOTE_UNAVAILABLE;
            default -> response.code() >= 500 ? ErrorCode.INTERNAL : ErrorCode.PROTOCOL;
        };
        try {
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            message = json.get("error").getAsString();
            if (json.has("code")) {
                code = ErrorCode.bySearchCode(json.get("code").getAsString());
            }
        } catch (RuntimeException notJson) {
            // keep the raw text: a proxy's error page says more than nothing
        }
        String where = "registry " + base + ": ";
        if (code == ErrorCode.PACKAGE_INTEGRITY) {
            throw new IntegrityException(where + message);
        }
        throw new ConduitException(code, where + message);
    }
}
