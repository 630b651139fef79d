package io.conduit.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.HttpRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.core.registry.TrustPolicy;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the HTTP registry does: tokens and the publisher they name, an unreachable or absent
 * registry, and malformed calls answered with a clear 4xx while the registry stays as it was.
 */
class HttpRegistryTest {
    private static final String TOKEN = "td-lead-token-0123456789";

    @TempDir
    Path dir;

    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    private final HttpClient http = HttpClient.newHttpClient();
    private ConduitServer server;
    private DirectoryRegistry storage;

    @BeforeEach
    void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " td-lead roles=publish\n");
        Path cache = Files.createDirectories(dir.resolve("server-cache"));
        storage = new DirectoryRegistry(dir.resolve("registry"));
        server = ConduitServer.start(ServerConfig.builder(cache).port(0).tokensFile(tokens)
                .registry(storage, new ModelCache(cache, Long.MAX_VALUE)).build(), engine);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void tokensAreRequiredAndTheTokensUserIsThePublisher() throws Exception {
        HttpRegistry anonymous = new HttpRegistry(server.baseUri(), "", TrustPolicy.permissive());
        ConduitException refused = assertThrows(ConduitException.class, anonymous::models);
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        HttpRegistry lead = new HttpRegistry(server.baseUri(), TOKEN, TrustPolicy.permissive());
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src")))) {
            lead.publish(pkg, "someone-else");
        }
        assertEquals("td-lead", lead.record("scale-bias", SemVer.parse("1.0.0")).publishedBy(),
                "the server records who the token names, not who the client claims to be");
    }

    @Test
    void aVersionYankedOnTheShareIsSkippedOverHttpAndItsRecordSaysWhy() throws Exception {
        HttpRegistry lead = new HttpRegistry(server.baseUri(), TOKEN, TrustPolicy.permissive());
        for (String version : new String[]{"1.0.0", "1.1.0"}) {
            try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src-" + version),
                    m -> new io.conduit.core.manifest.Manifest(m.schemaVersion(), m.name(), SemVer.parse(version),
                            m.description(), m.authors(), m.modelFile(), m.inputs(), m.outputs(), m.requirements(),
                            m.hosts(), m.lineage(), m.assets(), m.files())))) {
                lead.publish(pkg, "td");
            }
        }
        storage.yank("scale-bias", SemVer.parse("1.1.0"), "banding in dark plates", "td-lead");
        var artist = new io.conduit.core.registry.ArtistContext(null, null, "ana");
        assertEquals(SemVer.parse("1.0.0"), lead.resolve("scale-bias", artist).version());
        assertEquals("banding in dark plates", lead.record("scale-bias", SemVer.parse("1.1.0")).yanked().reason());
    }

    @Test
    void anUnreachableOrAbsentRegistryIsReportedAsSuch() throws Exception {
        HttpRegistry nowhere = new HttpRegistry(URI.create("http://127.0.0.1:1"), "", TrustPolicy.permissive());
        assertFalse(nowhere.reachable());
        ConduitException down = assertThrows(ConduitException.class, nowhere::models);
        assertEquals(ErrorCode.REMOTE_UNAVAILABLE, down.code());
        assertTrue(down.getMessage().startsWith("registry http://127.0.0.1:1 is unreachable"), down.getMessage());

        Path models = Files.createDirectories(dir.resolve("models"));
        try (ConduitServer plain = ConduitServer.start(ServerConfig.builder(models).port(0).build(), engine)) {
            HttpRegistry none = new HttpRegistry(plain.baseUri(), "", TrustPolicy.permissive());
            ConduitException absent = assertThrows(ConduitException.class, none::models);
            assertTrue(absent.getMessage().contains("this server hosts no registry; start it with conduit serve"
                    + " --registry DIR"), absent.getMessage());
        }
    }

    @Test
    void malformedCallsGetClearErrorsAndChangeNothing() throws Exception {
        byte[] content = {1, 2, 3, 4};
        String rightDigest = Sha256.ofBytes(content);
        String wrongDigest = Sha256.ofBytes(new byte[]{9});
        HttpResponse<String> mismatch = send("PUT", "/conduit/v1/blobs/" + wrongDigest, content);
        assertEquals(400, mismatch.statusCode());
        assertEquals("CDT-PACKAGE-INTEGRITY", error(mismatch).get("code").getAsString());
        assertTrue(error(mismatch).get("error").getAsString().contains("does not match its digest"), mismatch.body());
        assertFalse(storage.hasBlob(wrongDigest) || storage.hasBlob(rightDigest), "nothing was stored");

        HttpResponse<String> notADigest = send("PUT", "/conduit/v1/blobs/..%2F..%2Fescape", content);
        assertTrue(notADigest.statusCode() == 400 || notADigest.statusCode() == 404, notADigest.body());

        Path source = TestModels.packageOf("scale_bias.onnx", dir.resolve("src"));
        String manifest = Files.readString(source.resolve(ModelPackage.MANIFEST));
        JsonObject commit = new JsonObject();
        commit.addProperty("manifest", manifest);
        HttpResponse<String> contentMissing = send("PUT", "/conduit/v1/models/scale-bias/versions/1.0.0",
                commit.toString().getBytes());
        assertEquals(400, contentMissing.statusCode());
        assertTrue(contentMissing.body().contains("the registry lacks the content of model.onnx"), contentMissing.body());

        HttpResponse<String> wrongPlace = send("PUT", "/conduit/v1/models/other/versions/1.0.0", commit.toString().getBytes());
        assertEquals(400, wrongPlace.statusCode());
        assertTrue(wrongPlace.body().contains("the manifest is scale-bias@1.0.0 but was sent to other@1.0.0"),
                wrongPlace.body());

        HttpResponse<String> badJson = send("PUT", "/conduit/v1/models/scale-bias/versions/1.0.0", "{\"manif".getBytes());
        assertEquals(400, badJson.statusCode());
        assertEquals("CDT-USAGE", error(badJson).get("code").getAsString(), badJson.body());

        HttpResponse<String> wrongMethod = send("DELETE", "/conduit/v1/models/scale-bias/versions/1.0.0", new byte[0]);
        assertEquals(405, wrongMethod.statusCode());
        HttpResponse<String> badRule = send("PUT", "/conduit/v1/models/scale-bias/rollout", "{\"scope\":\"planet\"}".getBytes());
        assertEquals(400, badRule.statusCode(), badRule.body());

        assertEquals(0, storage.models().size(), "the registry is as it was");
        try (Stream<Path> stray = Files.walk(dir.resolve("registry"))) {
            assertTrue(stray.filter(Files::isRegularFile).noneMatch(p -> !p.getFileName().toString().equals(".lock")),
                    "no staged or half-written file was left behind");
        }
        assertEquals(200, send("GET", "/conduit/v1/models", new byte[0]).statusCode(), "and it keeps serving");
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject error(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
