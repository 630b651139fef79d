package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.core.triton.TritonExport;
import io.conduit.core.triton.TritonSchema;
import io.conduit.core.triton.TritonVersion;
import io.conduit.core.triton.TritonVersionMap;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conduit's remote engine against a server that routes as Triton does (only integer versions),
 * loading the repository {@code conduit models export-triton} writes, and against
 * {@code conduit serve} on the same numeric routes: one client for both.
 */
class TritonRoutingTest {
    private static final String INFER_BODY = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
            + "\"data\":[1,2]}]}";

    @TempDir
    Path dir;

    private Path version(String version, String description) {
        return TestModels.packageOf("scale_bias.onnx", dir.resolve(version + "-" + description.length()), m ->
                edit(m, SemVer.parse(version), description));
    }

    /** scale-bias with vector layouts, so its first axis is a batch axis Triton may batch on. */
    private static Manifest edit(Manifest m, SemVer version, String description) {
        UnaryOperator<TensorSpec> vector = s -> new TensorSpec(s.name(), s.datatype(), s.shape(), Layout.VECTOR, s.role(),
                s.valueRange(), s.colorSpace());
        return new Manifest(m.schemaVersion(), m.name(), version, description, m.authors(), m.modelFile(),
                m.inputs().stream().map(vector).toList(), m.outputs().stream().map(vector).toList(), m.requirements(),
                m.hosts(), m.lineage(), m.assets(), m.files());
    }

    private static RemoteEngineConfig config(URI endpoint, boolean binary) {
        return new RemoteEngineConfig(List.of(endpoint), "", Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(5), 3, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200), binary);
    }

    private static Map<String, Tensor> input(float a, float b) {
        return Map.of("x", Tensor.ofFloats(new long[]{1, 2}, a, b));
    }

    private Path exportBoth(Path v1, Path v2) {
        Path repo = dir.resolve("triton");
        try (ModelPackage p1 = ModelPackage.open(v1); ModelPackage p2 = ModelPackage.open(v2)) {
            TritonExport.export(p1, repo, 8);
            TritonExport.export(p2, repo, 8);
        }
        return repo;
    }

    @Test
    void remoteRunsReachTheNumberedVersionTheManifestMapsTo() throws Exception {
        Path v1 = version("1.0.0", "first");
        Path v2 = version("1.1.0", "second");
        try (TritonLikeServer triton = new TritonLikeServer(exportBoth(v1, v2));
             ModelPackage p1 = ModelPackage.open(v1); ModelPackage p2 = ModelPackage.open(v2)) {
            for (boolean binary : new boolean[]{true, false}) {
                try (RemoteEngine remote = new RemoteEngine(config(triton.base(), binary))) {
                    InferenceResult r1 = remote.run(p1, input(1, 2), DevicePreference.REMOTE);
                    assertEquals(3f, r1.output("y").floats().get(0));
                    assertEquals(5f, r1.output("y").floats().get(1));
                    InferenceResult r2 = remote.run(p2, input(10, 20), DevicePreference.REMOTE);
                    assertEquals(41f, r2.output("y").floats().get(1));
                }
            }
            assertTrue(triton.requests.contains("POST /v2/models/scale-bias/versions/1/infer"), triton.requests.toString());
            assertTrue(triton.requests.contains("POST /v2/models/scale-bias/versions/2/infer"), triton.requests.toString());
            assertTrue(triton.requests.stream().noneMatch(r -> r.contains("1.0.0") || r.contains("1.1.0")),
                    "no semantic version reaches Triton: " + triton.requests);
        }
    }

    @Test
    void theServerRoutesOnlyIntegerVersionsAsTritonDoes() throws Exception {
        Path v1 = version("1.0.0", "first");
        try (TritonLikeServer triton = new TritonLikeServer(exportBoth(v1, version("1.1.0", "second")))) {
            OkHttpClient http = new OkHttpClient();
            // Today's client asked for /versions/1.0.0/: Triton's model regex does not match it at all.
            try (Response r = http.newCall(post(triton.base() + "/v2/models/scale-bias/versions/1.0.0/infer")).execute()) {
                assertEquals(404, r.code());
                assertEquals("{\"error\":\"Not Found\"}", r.body().string());
            }
            try (Response r = http.newCall(post(triton.base() + "/v2/models/scale-bias/versions/2/infer")).execute()) {
                assertEquals(200, r.code());
                assertTrue(r.body().string().contains("\"model_version\":\"2\""));
            }
        }
    }

    @Test
    void anotherPackageUnderTheSameNameAndVersionIsRefused() throws Exception {
        Path v1 = version("1.0.0", "first");
        Path impostor = version("1.0.0", "same name and version, other package");
        try (TritonLikeServer triton = new TritonLikeServer(exportBoth(v1, version("1.1.0", "second")));
             ModelPackage p = ModelPackage.open(impostor);
             RemoteEngine remote = new RemoteEngine(config(triton.base(), true))) {
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(p, input(1, 2), DevicePreference.REMOTE));
            assertEquals(ErrorCode.PACKAGE_MISMATCH, e.code());
            assertTrue(e.getMessage().contains("the service holds a different scale-bias@1.0.0")
                    && e.getMessage().contains(Sha256.ofFile(impostor.resolve("conduit.json"))), e.getMessage());
            assertTrue(triton.requests.stream().noneMatch(r -> r.endsWith("/infer")), "nothing ran: " + triton.requests);
        }
    }

    @Test
    void aTritonModelWithoutTheVersionMapIsNotGuessedAt() throws Exception {
        Path v1 = version("1.0.0", "first");
        Path repo = exportBoth(v1, version("1.1.0", "second"));
        Path config = repo.resolve("scale-bias/config.pbtxt");
        Files.writeString(config, String.join("\n", Files.readAllLines(config).stream()
                .filter(l -> !l.startsWith("parameters")).toList()) + "\n");
        try (TritonLikeServer triton = new TritonLikeServer(repo); ModelPackage p = ModelPackage.open(v1);
             RemoteEngine remote = new RemoteEngine(config(triton.base(), true))) {
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(p, input(1, 2), DevicePreference.REMOTE));
            assertEquals(ErrorCode.MODEL_NOT_FOUND, e.code());
            assertTrue(e.getMessage().contains("no Conduit version map"), e.getMessage());
        }
    }

    @Test
    void conduitServeAnswersTheSameConfigAndNumericRoutes() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path v1 = version("1.0.0", "first");
        Path v2 = version("1.1.0", "second");
        copyTree(v1, models.resolve("scale-bias-1.0.0"));
        copyTree(v2, models.resolve("scale-bias-1.1.0"));
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"));
             ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0)
                     .batching("scale-bias", new BatchingConfig(8, Duration.ofMillis(1), 1, 64)).build(), engine);
             ModelPackage p1 = ModelPackage.open(v1); ModelPackage p2 = ModelPackage.open(v2)) {
            OkHttpClient http = new OkHttpClient();
            String base = server.baseUri().toString();
            try (Response r = http.newCall(new Request.Builder().url(base + "/v2/models/scale-bias/config").build()).execute()) {
                assertEquals(200, r.code());
                var parsed = TritonSchema.parseJson(r.body().string());
                assertEquals(8, parsed.getMaxBatchSize(), "the batch size this server joins requests up to");
                var map = TritonVersionMap.fromParameters(parameters(parsed));
                assertEquals(List.of(new TritonVersion(1, SemVer.parse("1.0.0"), Sha256.ofFile(v1.resolve("conduit.json"))),
                        new TritonVersion(2, SemVer.parse("1.1.0"), Sha256.ofFile(v2.resolve("conduit.json")))), map.versions());
            }
            try (Response r = http.newCall(post(base + "/v2/models/scale-bias/versions/2/infer")).execute()) {
                assertEquals(200, r.code());
            }
            try (Response r = http.newCall(post(base + "/v2/models/scale-bias/versions/3/infer")).execute()) {
                assertEquals(404, r.code());
                assertTrue(r.body().string().contains("no version 3"));
            }
            try (RemoteEngine remote = new RemoteEngine(config(server.baseUri(), true))) {
                assertEquals(41f, remote.run(p2, input(10, 20), DevicePreference.REMOTE).output("y").floats().get(1));
                assertEquals(3f, remote.run(p1, input(1, 2), DevicePreference.REMOTE).output("y").floats().get(0));
            }
            // Statistics and the repository index, read with Triton's own message definitions. A call is counted once
            // its answer is written (V2Inference.Call.answered), which can be just after the client has read it: the
            // counts are read until the last call shows (at most a few seconds), then checked exactly.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                var stats = inference.GrpcService.ModelStatisticsResponse.newBuilder();
                try (Response r = http.newCall(new Request.Builder().url(base + "/v2/models/scale-bias/stats").build()).execute()) {
                    assertEquals(200, r.code());
                    com.google.protobuf.util.JsonFormat.parser().merge(r.body().string(), stats);
                }
                boolean settled = stats.getModelStatsCount() == 2 && stats.getModelStats(0).getInferenceCount() >= 1
                        && stats.getModelStats(1).getInferenceCount() >= 2;
                if (!settled && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    continue;
                }
                assertEquals(List.of("1", "2"), stats.getModelStatsList().stream().map(m -> m.getVersion()).toList());
                assertEquals(1, stats.getModelStats(0).getInferenceCount());
                assertEquals(2, stats.getModelStats(1).getInferenceCount(), "the numeric route and the engine's call");
                assertEquals(2, stats.getModelStats(1).getInferenceStats().getSuccess().getCount());
                assertTrue(stats.getModelStats(1).getExecutionCount() >= 1);
                assertTrue(stats.getModelStats(1).getLastInference() > 0);
                break;
            }
            try (Response r = http.newCall(new Request.Builder().url(base + "/v2/models/scale-bias/versions/1/stats").build())
                    .execute()) {
                assertTrue(r.body().string().contains("\"version\":\"1\""));
            }
            try (Response r = http.newCall(new Request.Builder().url(base + "/v2/repository/index")
                    .post(RequestBody.create("{\"ready\": true}", MediaType.get("application/json"))).build()).execute()) {
                assertEquals(200, r.code());
                var index = inference.GrpcService.RepositoryIndexResponse.newBuilder();
                com.google.protobuf.util.JsonFormat.parser().merge("{\"models\":" + r.body().string() + "}", index);
                assertEquals(List.of("scale-bias 1 READY", "scale-bias 2 READY"), index.getModelsList().stream()
                        .map(m -> m.getName() + " " + m.getVersion() + " " + m.getState()).toList());
            }
            try (Response r = http.newCall(new Request.Builder().url(base + "/v2/repository/index").build()).execute()) {
                assertEquals(405, r.code(), "Triton takes the index request as a POST only");
            }
        }
    }

    private static Map<String, String> parameters(inference.ModelConfigOuterClass.ModelConfig config) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        config.getParametersMap().forEach((k, v) -> out.put(k, v.getStringValue()));
        return out;
    }

    private static Request post(String url) {
        return new Request.Builder().url(url).post(RequestBody.create(INFER_BODY, MediaType.get("application/json"))).build();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
