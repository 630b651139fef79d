package io.conduit.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.server.TestServers;
import io.conduit.server.feedback.FeedbackHandler;
import io.conduit.server.feedback.FeedbackStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, route by route: every route of the service and the agent called without a token, with
 * a token lacking the role it needs, and with one holding it; show limits; the user always the token's.
 */
class AccessTest {
    private static final String SHA = "0".repeat(64);
    private static final Map<String, String> TOKENS = Map.of(
            "infer", "token-infer-0123456789",
            "feedback", "token-feedback-0123456",
            "publish", "token-publish-01234567",
            "admin", "token-admin-0123456789");
    private static final String DEFAULT_TOKEN = "token-default-01234567";
    private static final String ABC_PUBLISHER = "token-abc-publisher-01";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String last = "";

    /** One route and the role it needs: "open", "any" (any valid token), or a role's name. */
    private record Route(String method, String path, String needs) {
    }

    private static final List<Route> SERVICE_ROUTES = List.of(
            new Route("GET", "/v2/health/live", "open"),
            new Route("GET", "/v2/health/ready", "open"),
            new Route("GET", "/ui", "open"),
            new Route("GET", "/ui/app.js", "open"),
            new Route("GET", "/v2", "any"),
            new Route("GET", "/metrics", "any"),
            new Route("GET", "/v2/models/scale-bias", "any"),
            new Route("GET", "/v2/models/scale-bias/versions/1.0.0", "any"),
            new Route("GET", "/v2/models/scale-bias/versions/1.0.0/ready", "any"),
            new Route("GET", "/v2/nowhere", "any"),
            new Route("GET", "/v2/models/scale-bias/config", "any"),
            new Route("GET", "/v2/models/scale-bias/versions/1/config", "any"),
            new Route("GET", "/v2/models/stats", "any"),
            new Route("GET", "/v2/models/scale-bias/stats", "any"),
            new Route("POST", "/v2/repository/index", "any"),
            new Route("POST", "/v2/models/scale-bias/versions/1/infer", "infer"),
            new Route("POST", "/v2/models/scale-bias/infer", "infer"),
            new Route("POST", "/v2/models/scale-bias/versions/1.0.0/infer", "infer"),
            new Route("GET", "/conduit/v1", "any"),
            new Route("GET", "/conduit/v1/models", "any"),
            new Route("GET", "/conduit/v1/models/m/versions", "any"),
            new Route("GET", "/conduit/v1/models/m/versions/1.0.0", "any"),
            new Route("GET", "/conduit/v1/models/m/aliases", "any"),
            new Route("GET", "/conduit/v1/models/m/rollout", "any"),
            new Route("GET", "/conduit/v1/models/m/resolve", "any"),
            new Route("GET", "/conduit/v1/blobs/" + SHA, "any"),
            new Route("PUT", "/conduit/v1/models/m/versions/1.0.0", "publish"),
            new Route("PUT", "/conduit/v1/models/m/aliases/stable", "publish"),
            new Route("PUT", "/conduit/v1/models/m/rollout", "publish"),
            new Route("POST", "/conduit/v1/blobs/missing", "publish"),
            new Route("PUT", "/conduit/v1/blobs/" + SHA, "publish"),
            new Route("DELETE", "/conduit/v1/models/m/aliases/stable", "publish"),
            new Route("GET", "/conduit/v1/feedback", "any"),
            new Route("POST", "/conduit/v1/feedback", "feedback"),
            new Route("POST", "/conduit/v1/telemetry", "feedback"),
            new Route("GET", "/conduit/v1/stats", "any"),
            new Route("GET", "/conduit/v1/ui/models", "any"),
            new Route("GET", "/conduit/v1/ui/series?model=scale-bias", "any"));

    private static final List<Route> AGENT_ROUTES = List.of(
            new Route("GET", "/conduit/v1/agent", "any"),
            new Route("GET", "/conduit/v1/agent/models?host=houdini", "any"),
            new Route("POST", "/conduit/v1/agent/batch", "infer"),
            new Route("POST", "/conduit/v1/agent/feedback", "feedback"),
            new Route("POST", "/v2/models/scale-bias/infer", "infer"));

    private Path tokensFile() throws Exception {
        StringBuilder lines = new StringBuilder("# one token per role\n");
        TOKENS.forEach((role, token) -> lines.append(token).append(' ').append(role).append("-user roles=")
                .append(role).append('\n'));
        lines.append(DEFAULT_TOKEN).append(" ana\n");
        lines.append(ABC_PUBLISHER).append(" abc-td roles=publish,infer shows=ABC\n");
        return Files.writeString(dir.resolve("tokens"), lines.toString());
    }

    private HttpResponse<String> call(URI base, String method, String path, String token, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status {@code route} answers with {@code token}, or an error naming the call that got no answer. */
    private int status(URI base, Route route, String token) throws Exception {
        try {
            HttpResponse<String> answer = call(base, route.method(), route.path(), token);
            last = route + " " + token + " -> " + answer.statusCode() + " " + answer.headers().map() + " " + answer.body();
            return answer.statusCode();
        } catch (java.io.IOException e) {
            throw new AssertionError(route + " with token " + token + " got no answer; before it: " + last, e);
        }
    }

    private void checkEveryRoute(URI base, List<Route> routes) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Route r : routes) {
            int anonymous = status(base, r, null);
            if (r.needs().equals("open") ? anonymous == 401 : anonymous != 401) {
                wrong.add(r + " without a token: " + anonymous);
            }
            for (Map.Entry<String, String> token : TOKENS.entrySet()) {
                int status = status(base, r, token.getValue());
                boolean allowed = r.needs().equals("open") || r.needs().equals("any") || r.needs().equals(token.getKey())
                        || token.getKey().equals("admin");
                if (allowed ? status == 401 || status == 403 : status != 403) {
                    wrong.add(r + " with a " + token.getKey() + " token: " + status);
                }
            }
            int byDefault = status(base, r, DEFAULT_TOKEN);
            boolean defaultAllowed = !r.needs().equals("publish");
            if (defaultAllowed ? byDefault == 401 || byDefault == 403 : byDefault != 403) {
                wrong.add(r + " with a token listed without roles: " + byDefault);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyServiceRouteAsksForItsRole() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        try (TestServers service = new TestServers(dir, b -> b.tokensFile(uncheck(this::tokensFile))
                .registry(new DirectoryRegistry(dir.resolve("registry")), new ModelCache(cache, Long.MAX_VALUE))
                .feedbackStore(FeedbackStore.open("jdbc:h2:mem:access")))) {
            checkEveryRoute(service.server().baseUri(), SERVICE_ROUTES);
        }
    }

    @Test
    void everyAgentRouteAsksForItsRole() throws Exception {
        try (TestServers agent = new TestServers(dir, b -> b.agent(dir.resolve("home")).tokensFile(uncheck(this::tokensFile)))) {
            checkEveryRoute(agent.server().baseUri(), AGENT_ROUTES);
        }
    }

    @Test
    void aTokenLimitedToAShowActsOnlyThere() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        try (TestServers service = new TestServers(dir, b -> b.tokensFile(uncheck(this::tokensFile))
                .registry(new DirectoryRegistry(dir.resolve("registry")), new ModelCache(cache, Long.MAX_VALUE)))) {
            URI base = service.server().baseUri();
            assertEquals(403, call(base, "GET", "/v2/models/scale-bias", ABC_PUBLISHER, "Conduit-Show", "XYZ").statusCode());
            assertNotEquals(403, call(base, "GET", "/v2/models/scale-bias", ABC_PUBLISHER, "Conduit-Show", "ABC").statusCode());
            assertEquals(403, call(base, "GET", "/conduit/v1/models/m/resolve?show=XYZ", ABC_PUBLISHER).statusCode());
            HttpResponse<String> other = put(base, "/conduit/v1/models/m/rollout",
                    "{\"scope\": \"show\", \"value\": \"XYZ\", \"target\": \"1.0.0\"}", ABC_PUBLISHER);
            assertEquals(403, other.statusCode(), other.body());
            assertTrue(other.body().contains("CDT-FORBIDDEN"), other.body());
            HttpResponse<String> studio = put(base, "/conduit/v1/models/m/rollout",
                    "{\"scope\": \"studio\", \"value\": \"\", \"target\": \"1.0.0\"}", ABC_PUBLISHER);
            assertEquals(403, studio.statusCode(), "a studio-wide rule needs an unlimited token: " + studio.body());
            assertEquals(403, put(base, "/conduit/v1/models/m/aliases/stable", "{\"version\": \"1.0.0\"}", ABC_PUBLISHER)
                    .statusCode(), "aliases are studio-wide");
        }
    }

    @Test
    void aNoteIsAlwaysTheTokensUsers() throws Exception {
        try (TestServers service = new TestServers(dir, b -> b.tokensFile(uncheck(this::tokensFile))
                .feedbackStore(FeedbackStore.open("jdbc:h2:mem:who")))) {
            JsonObject note = new JsonObject();
            note.addProperty("id", "n1");
            note.addProperty("at", Instant.now().toString());
            note.addProperty("model", "scale-bias");
            note.addProperty("version", "1.0.0");
            note.addProperty("rating", 2);
            note.addProperty("user", "someone-else");
            URI base = service.server().baseUri();
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(base.resolve(FeedbackHandler.PATH))
                    .header("Authorization", "Bearer " + DEFAULT_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(note.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, stored.statusCode(), stored.body());
            String listed = call(base, "GET", FeedbackHandler.PATH, DEFAULT_TOKEN).body();
            assertEquals("ana", JsonParser.parseString(listed).getAsJsonObject().getAsJsonArray("feedback").get(0)
                    .getAsJsonObject().get("user").getAsString());
        }
    }

    @Test
    void withoutTokensBeyondLoopbackRegistryWritesAreRefusedUnlessAllowed() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        for (boolean allow : new boolean[]{false, true}) {
            try (TestServers service = new TestServers(dir.resolve("s" + allow), b -> b.host("0.0.0.0")
                    .allowAnonymousWrites(allow)
                    .registry(new DirectoryRegistry(dir.resolve("registry" + allow)), new ModelCache(cache, Long.MAX_VALUE)))) {
                URI base = URI.create("http://127.0.0.1:" + service.server().port());
                assertEquals(1, service.server().warnings().size());
                assertTrue(service.server().warnings().get(0).contains("without a tokens file"), service.server().warnings().toString());
                assertEquals(200, call(base, "GET", "/v2", null).statusCode());
                int write = put(base, "/conduit/v1/models/m/aliases/stable", "{\"version\": \"1.0.0\"}", null).statusCode();
                if (allow) {
                    assertNotEquals(403, write, "--allow-anonymous-writes lets the write through to the registry");
                } else {
                    assertEquals(403, write);
                }
            }
        }
        try (TestServers loopback = new TestServers(dir.resolve("lo"), b -> b)) {
            assertFalse(loopback.server().warnings().iterator().hasNext(), "loopback without tokens is a TD's own machine");
        }
    }

    private HttpResponse<String> put(URI base, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Source<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Source<T> source) {
        try {
            return source.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
