package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * String (BYTES) tensors through a real {@code conduit serve} on loopback: the remote engine over V2
 * JSON and over V2 binary gives exactly the local run's strings, and a plain JSON client reads them
 * as JSON strings.
 */
class StringTensorsServerTest {
    @TempDir
    Path dir;

    private static RemoteEngineConfig config(URI endpoint, boolean binary) {
        return new RemoteEngineConfig(List.of(endpoint), "", Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(5), 3, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200), binary);
    }

    @Test
    void stringsTravelThroughTheServiceOverJsonAndBinaryAsTheyRunLocally() throws Exception {
        Path models = java.nio.file.Files.createDirectories(dir.resolve("models"));
        Path pkgDir = TestModels.packageOf("strings.onnx", models);
        Tensor words = Tensor.ofStrings(new long[]{4}, "dog", "naïve \"quoted\"", "", "日本 a😀b");
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"));
             ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).build(), engine);
             ModelPackage pkg = ModelPackage.open(pkgDir)) {
            InferenceResult local = engine.run(pkg, Map.of("words", words), DevicePreference.CPU);
            for (boolean binary : new boolean[]{true, false}) {
                try (RemoteEngine remote = new RemoteEngine(config(server.baseUri(), binary))) {
                    InferenceResult r = remote.run(pkg, Map.of("words", words), DevicePreference.REMOTE);
                    assertEquals(Route.REMOTE, r.route().route());
                    assertEquals(DataType.BYTES, r.output("reversed").type());
                    assertArrayEquals(new String[]{"日本 a😀b", "", "naïve \"quoted\"", "dog"}, r.output("reversed").strings(),
                            "binary=" + binary);
                    assertArrayEquals(local.output("echo").strings(), r.output("echo").strings());
                    assertArrayEquals(local.output("reversed").shape(), r.output("reversed").shape());
                    assertEquals(local.output("label").bytes(), r.output("label").bytes(), "binary=" + binary);
                }
            }
            String name = pkg.manifest().name();
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.baseUri().resolve("/v2/models/" + name + "/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"words\",\"datatype\":\"BYTES\","
                            + "\"shape\":[2],\"data\":[\"cat\",\"é\"]}]}", StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, plain.statusCode(), plain.body());
            assertTrue(plain.body().contains("\"name\":\"reversed\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"é\",\"cat\"]"),
                    plain.body());
        }
    }
}
