package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.server.feedback.FeedbackStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs an attack run found answered with 500 (or worse): each now gets a 4xx with a searchable code,
 * a message that names no path on the server, and the server keeps serving.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private record Attempt(String what, String method, String path, String body) {
    }

    private static String infer(String inputs) {
        return "{\"inputs\": [" + inputs + "]}";
    }

    private static final List<Attempt> SERVICE = List.of(
            new Attempt("a number beyond double", "POST", "/v2/models/scale-bias/infer",
                    infer("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1e999999999]}")),
            new Attempt("a number beyond int64", "POST", "/v2/models/all-types/infer",
                    infer("{\"name\":\"i64\",\"datatype\":\"INT64\",\"shape\":[1,1],\"data\":[1e999999999]}")),
            new Attempt("a negative dim", "POST", "/v2/models/scale-bias/infer",
                    infer("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,1],\"data\":[1]}")),
            new Attempt("one input name twice", "POST", "/v2/models/scale-bias/infer",
                    infer("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]},"
                            + "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[2]}")),
            new Attempt("inputs that are not a list", "POST", "/v2/models/scale-bias/infer", "{\"inputs\": 7}"),
            new Attempt("a body that is not an object", "POST", "/v2/models/scale-bias/infer", "[1, 2]"),
            new Attempt("a junk sha256 probing outside the registry", "POST", "/conduit/v1/blobs/missing",
                    "{\"sha256\": [\"../../../../etc/passwd\", \"" + "f".repeat(64) + "\"]}"),
            new Attempt("a sha256 list that is not strings", "POST", "/conduit/v1/blobs/missing", "{\"sha256\": [{}]}"),
            new Attempt("an over-long feedback id", "POST", "/conduit/v1/feedback",
                    "{\"id\": \"" + "x".repeat(5000) + "\", \"at\": \"2026-11-27T10:00:00Z\", \"model\": \"m\","
                            + " \"version\": \"1.0.0\", \"rating\": 3}"),
            new Attempt("a feedback time that is not a time", "POST", "/conduit/v1/feedback",
                    "{\"id\": \"n1\", \"at\": \"yesterday\", \"model\": \"m\", \"version\": \"1.0.0\", \"rating\": 3}"),
            new Attempt("telemetry that is not records", "POST", "/conduit/v1/telemetry", "{\"samples\": [1, 2]}"),
            new Attempt("a stats bucket that is not a number", "GET", "/conduit/v1/ui/series?model=m&bucket=1e99", null));

    private static final List<Attempt> AGENT = List.of(
            new Attempt("a batch input that is not a string", "POST", "/conduit/v1/agent/batch",
                    "{\"model\": \"scale-bias\", \"version\": \"1.0.0\", \"inputs\": {\"x\": 5},"
                            + " \"outputs\": {\"y\": {}}}"),
            new Attempt("a batch without inputs", "POST", "/conduit/v1/agent/batch",
                    "{\"model\": \"scale-bias\", \"version\": \"1.0.0\"}"),
            new Attempt("a preview whose file is null", "POST", "/conduit/v1/agent/feedback",
                    "{\"model\": \"scale-bias\", \"version\": \"1.0.0\", \"rating\": 3, \"preview\": {\"file\": null}}"),
            new Attempt("a rating that is not a number", "POST", "/conduit/v1/agent/feedback",
                    "{\"model\": \"scale-bias\", \"version\": \"1.0.0\", \"rating\": {}}"));

    private List<String> attack(URI base, List<Attempt> attempts) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Attempt a : attempts) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(a.path()));
            b.method(a.method(), a.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(a.body()));
            HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String error = "";
            try {
                JsonObject body = JsonParser.parseString(answer.body()).getAsJsonObject();
                error = body.get("error").getAsString() + " " + body.get("code").getAsString();
            } catch (RuntimeException notAnError) {
                wrong.add(a.what() + ": answered " + answer.statusCode() + " without {error, code}: " + answer.body());
                continue;
            }
            if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
                wrong.add(a.what() + ": answered " + answer.statusCode() + " " + error);
            }
            if (error.contains(dir.toString()) || error.contains("/tmp/") || error.contains("Exception")) {
                wrong.add(a.what() + ": the message shows the server's insides: " + error);
            }
        }
        return wrong;
    }

    @Test
    void theServiceAnswersHostileInputWith4xxAndKeepsServing() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path models = Files.createDirectories(dir.resolve("served"));
        try (TestServers service = new TestServers(dir.resolve("service"), b -> b
                .feedbackStore(FeedbackStore.open("jdbc:h2:mem:hostile")));
             TestServers registry = new TestServers(dir.resolve("registry-service"), b -> b
                     .registry(new DirectoryRegistry(dir.resolve("registry")), new ModelCache(cache, Long.MAX_VALUE)))) {
            List<String> wrong = attack(service.server().baseUri(), SERVICE);
            wrong.addAll(attack(registry.server().baseUri(), SERVICE.stream()
                    .filter(a -> a.path().startsWith("/conduit/v1/blobs")).toList()));
            assertEquals(List.of(), wrong);
            assertEquals(200, http.send(HttpRequest.newBuilder(service.server().baseUri().resolve("/v2/models/scale-bias/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(infer("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],"
                            + "\"data\":[1]}"))).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertFalse(Files.exists(models.resolve("never")), "nothing written");
        }
    }

    @Test
    void theAgentAnswersHostileInputWith4xx() throws Exception {
        try (TestServers agent = new TestServers(dir.resolve("agent"), b -> b.agent(dir.resolve("home")))) {
            assertEquals(List.of(), attack(agent.server().baseUri(), AGENT));
        }
    }
}
