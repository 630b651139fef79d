package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.server.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The V2 endpoints over real HTTP on loopback, spoken by a plain HTTP client. */
class V2ServerTest {
    @TempDir
    Path dir;

    private TestServers servers;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        servers = new TestServers(dir, b -> b.maxRequestBytes(64 * 1024));
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(servers.base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.base() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void metadataAndHealth() throws Exception {
        HttpResponse<String> server = get("/v2");
        assertEquals(200, server.statusCode());
        assertTrue(json(server).getAsJsonArray("extensions").toString().contains("binary_tensor_data"));
        assertEquals(200, get("/v2/health/live").statusCode());
        assertEquals(200, get("/v2/health/ready").statusCode());
        JsonObject model = json(get("/v2/models/two-in-two-out"));
        assertEquals("[\"1.0.0\"]", model.getAsJsonArray("versions").toString());
        assertEquals("a", model.getAsJsonArray("inputs").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(200, get("/v2/models/two-in-two-out/versions/1.0.0/ready").statusCode());
        HttpResponse<String> unknown = get("/v2/models/nope");
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("error").getAsString().startsWith("unknown model \"nope\"; this server has ["));
        HttpResponse<String> version = get("/v2/models/two-in-two-out/versions/9.9.9/ready");
        assertEquals(404, version.statusCode());
        assertEquals("model two-in-two-out has no version 9.9.9; it has [1.0.0]", json(version).get("error").getAsString());
    }

    @Test
    void jsonInferenceCarriesRouteAndReason() throws Exception {
        String body = "{\"id\":\"r7\",\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[10,20,30]}],"
                + "\"outputs\":[{\"name\":\"sum\"}]}";
        HttpResponse<String> r = post("/v2/models/two-in-two-out/infer", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = json(r);
        assertEquals("r7", o.get("id").getAsString());
        assertEquals("1.0.0", o.get("model_version").getAsString());
        assertEquals(1, o.getAsJsonArray("outputs").size(), "only the requested output");
        assertEquals("[11.0,22.0,33.0]", o.getAsJsonArray("outputs").get(0).getAsJsonObject().get("data").toString());
        assertEquals("local-cpu", o.getAsJsonObject("parameters").get("conduit_route").getAsString());
        assertTrue(o.getAsJsonObject("parameters").get("conduit_reason").getAsString().contains("test machine has no GPU"));
    }

    @Test
    void malformedRequestsGetAClear400AndTheServerKeepsServing() throws Exception {
        String path = "/v2/models/scale-bias/infer";
        assertError(post(path, "{\"inputs\": [".getBytes()), 400, "the JSON header is not valid JSON");
        assertError(post(path, ("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1]}]}").getBytes()),
                400, "tensor \"x\": shape [1, 2] needs 2 values, data has 1");
        assertError(post(path, ("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FLOAT32\",\"shape\":[1],\"data\":[1]}]}").getBytes()),
                400, "input \"x\": datatype \"FLOAT32\" is not supported");
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"parameters\":{\"binary_data_size\":8}}]}";
        byte[] shortBody = (header + "1234").getBytes(StandardCharsets.ISO_8859_1);
        assertError(post(path, shortBody, "Inference-Header-Content-Length", String.valueOf(header.length())), 400,
                "binary_data_size 8 would end the body at byte " + (header.length() + 8) + ", past its "
                        + (header.length() + 4) + " bytes");
        assertError(post(path, ("{\"inputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}").getBytes()),
                400, "unknown input \"y\" for scale-bias@1.0.0; expected one of [x]");
        assertError(post(path, ("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[1,1],\"data\":[1]}]}").getBytes()),
                400, "input \"x\" is INT32; expected FP32");
        assertError(post(path, new byte[70 * 1024], "Content-Type", "application/json"), 413,
                "the request body is 71680 bytes; this server accepts at most 65536");
        HttpResponse<String> wrongMethod = get("/v2/models/scale-bias/infer");
        assertError(wrongMethod, 405, "GET /v2/models/scale-bias/infer is not supported; use POST");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
        String lying = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"parameters\":{\"binary_data_size\":8}}]}";
        assertError(post(path, lying.getBytes(), "Inference-Header-Content-Length", String.valueOf(lying.length())), 400,
                "binary_data_size 8 would end the body at byte");
        HttpResponse<String> fine = post(path,
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}".getBytes());
        assertEquals(200, fine.statusCode(), fine.body());
        assertEquals("[3.0,5.0]", json(fine).getAsJsonArray("outputs").get(0).getAsJsonObject().get("data").toString());
    }

    @Test
    void metricsCountRequestsFailuresAndTimesPerModelAndVersion() throws Exception {
        String ok = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}";
        post("/v2/models/scale-bias/infer", ok.getBytes());
        post("/v2/models/scale-bias/infer", ok.getBytes());
        post("/v2/models/scale-bias/infer", "{}".getBytes());
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("conduit_inference_requests_total{model=\"scale-bias\",version=\"1.0.0\"} 3.0"), metrics);
        assertTrue(metrics.contains("conduit_inference_failures_total{code=\"CDT-PROTOCOL\",model=\"scale-bias\",version=\"1.0.0\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("conduit_inference_compute_seconds_count{model=\"scale-bias\",version=\"1.0.0\"} 2"), metrics);
        assertTrue(metrics.contains("conduit_inference_queue_seconds_count{model=\"scale-bias\",version=\"1.0.0\"} 2"), metrics);
    }

    @Test
    void bearerTokensGuardEverythingButHealth() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# studio tokens\ns3cr3t-token-for-ana ana\n");
        try (TestServers guarded = new TestServers(dir.resolve("guarded"), b -> b.tokensFile(tokens))) {
            HttpRequest noToken = HttpRequest.newBuilder(URI.create(guarded.base() + "/v2")).GET().build();
            HttpResponse<String> refused = http.send(noToken, HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElseThrow());
            HttpRequest wrong = HttpRequest.newBuilder(URI.create(guarded.base() + "/v2"))
                    .header("Authorization", "Bearer s3cr3t-token-for-bob").GET().build();
            assertEquals(401, http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest right = HttpRequest.newBuilder(URI.create(guarded.base() + "/v2"))
                    .header("Authorization", "Bearer s3cr3t-token-for-ana").GET().build();
            assertEquals(200, http.send(right, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest health = HttpRequest.newBuilder(URI.create(guarded.base() + "/v2/health/ready")).GET().build();
            assertEquals(200, http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aDeviceHeaderChoosesTheRouteAndAnUnusableOneIsRefusedClearly() throws Exception {
        byte[] body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[2]}]}".getBytes();
        HttpResponse<String> cpu = post("/v2/models/scale-bias/infer", body, "Conduit-Device", "cpu");
        assertEquals(200, cpu.statusCode(), cpu.body());
        assertEquals("local-cpu", json(cpu).getAsJsonObject("parameters").get("conduit_route").getAsString());
        HttpResponse<String> gpu = post("/v2/models/scale-bias/infer", body, "Conduit-Device", "gpu");
        assertEquals(503, gpu.statusCode(), gpu.body());
        assertTrue(json(gpu).get("error").getAsString().contains("GPU"), gpu.body());
        assertError(post("/v2/models/scale-bias/infer", body, "Conduit-Device", "moon"), 400,
                "device \"moon\" is not one of auto, gpu, cpu, remote");
        assertEquals(200, post("/v2/models/scale-bias/infer", body).statusCode(), "and the server keeps serving");
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        String error = JsonParser.parseString(response.body()).getAsJsonObject().get("error").getAsString();
        assertTrue(error.contains(message), "expected \"" + message + "\" in: " + error);
    }
}
