package io.conduit.server.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.config.ConfigLoader;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.policy.Engines;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-inference telemetry: recorded by the service and the agent, forwarded, summarised; fallbacks marked. */
class TelemetryTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(URI base, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonArray stats(URI base, String model) throws Exception {
        String body = http.send(HttpRequest.newBuilder(base.resolve("/conduit/v1/stats?model=" + model)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("stats");
    }

    private static JsonObject byRoute(JsonArray rows, String route) {
        for (var r : rows) {
            if (r.getAsJsonObject().get("route").getAsString().equals(route)) {
                return r.getAsJsonObject();
            }
        }
        throw new AssertionError("no row for route '" + route + "' in " + rows);
    }

    @Test
    void everyInferenceIsRecordedSummarisedAndForwardedFromTheAgent() throws Exception {
        String good = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}";
        String bad = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1]}]}";
        try (TestServers service = new TestServers(dir.resolve("service"), b -> b)) {
            URI base = service.server().baseUri();
            for (int i = 0; i < 5; i++) {
                assertEquals(200, post(base, "/v2/models/scale-bias/infer", good).statusCode());
            }
            assertEquals(400, post(base, "/v2/models/scale-bias/infer", bad).statusCode());
            JsonObject row = byRoute(stats(base, "scale-bias"), "local-cpu");
            assertEquals("local-cpu", row.get("route").getAsString());
            assertEquals(5, row.get("calls").getAsInt());
            assertTrue(row.getAsJsonObject("totalMs").get("p99").getAsDouble()
                    >= row.getAsJsonObject("totalMs").get("p50").getAsDouble());
            assertTrue(row.getAsJsonObject("computeMs").has("p95"));
            JsonObject failed = byRoute(stats(base, "scale-bias"), "");
            assertEquals("", failed.get("route").getAsString());
            assertEquals(1.0, failed.get("errorRate").getAsDouble(), "the malformed request is counted as an error");
            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("conduit_inference_route_total{model=\"scale-bias\",route=\"local-cpu\","
                    + "version=\"1.0.0\"} 5.0"), metrics);

            // An agent forwards what it ran to the service, marked with who ran it.
            try (TestServers agent = new TestServers(dir.resolve("agent"), b -> b.agent(dir.resolve("home"))
                    .telemetryService(base))) {
                URI agentBase = agent.server().baseUri();
                assertEquals(200, post(agentBase, "/v2/models/two-in-two-out/infer", "{\"inputs\":[{\"name\":\"a\","
                        + "\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},{\"name\":\"b\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,3],\"data\":[1,1,1]}]}").statusCode());
            } // closing the agent flushes its records
            JsonArray forwarded = stats(base, "two-in-two-out");
            assertEquals(1, forwarded.size(), forwarded.toString());
            assertEquals(1, forwarded.get(0).getAsJsonObject().get("calls").getAsInt());
        }
    }

    @Test
    void aRouteThatFailsWhileRunningMarksTheTakeOverAsAFallback() throws Exception {
        Map<String, String> env = Map.of("HOME", dir.toString());
        try (RoutingEngine withDeadService = Engines.fromConfig(new ConfigLoader(env, null).load(Map.of(
                "remote.endpoints", "http://127.0.0.1:1", "remote.deadlineMs", "2000")), () -> GpuStatus.none("no GPU"));
             RoutingEngine cpuOnly = Engines.fromConfig(new ConfigLoader(env, null).load(Map.of()),
                     () -> GpuStatus.none("no GPU"));
             ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 3));
            InferenceResult fellBack = withDeadService.run(pkg, in, DevicePreference.AUTO);
            assertEquals("local-cpu", fellBack.route().route().label());
            assertTrue(fellBack.route().fallback(), fellBack.route().reason());
            InferenceResult planned = cpuOnly.run(pkg, in, DevicePreference.AUTO);
            assertFalse(planned.route().fallback(), "the CPU was the plan, not a take-over");
        }
    }
}
