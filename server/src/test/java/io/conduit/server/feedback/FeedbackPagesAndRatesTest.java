package io.conduit.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.server.TestServers;
import io.conduit.server.http.RateLimits;
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

/** Reads of feedback come a page at a time, and writes of feedback and telemetry are limited per token. */
class FeedbackPagesAndRatesTest {
    private static final String ANA = "token-ana-0123456789";
    private static final String BO = "token-bo-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readsComeAPageAtATimeAndTheCursorsReachEveryNoteOnce() throws Exception {
        try (TestServers service = new TestServers(dir, b -> b.feedbackStore(FeedbackStore.open("jdbc:h2:mem:pages")))) {
            URI base = service.server().baseUri();
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                // Four notes share one time: the id orders them, so no page boundary loses or repeats one.
                String at = i <= 4 ? "2026-11-20T10:00:00Z" : "2026-11-2" + i + "T10:00:00Z";
                assertEquals(201, post(base, "/conduit/v1/feedback", null, note("n" + i, at)).statusCode());
                sent.add("n" + i);
            }
            List<String> read = new ArrayList<>();
            List<Integer> pages = new ArrayList<>();
            String cursor = "";
            do {
                JsonObject page = JsonParser.parseString(get(base, "/conduit/v1/feedback?model=plate-denoiser&limit=3"
                        + (cursor.isEmpty() ? "" : "&cursor=" + cursor)).body()).getAsJsonObject();
                page.getAsJsonArray("feedback").forEach(n -> read.add(n.getAsJsonObject().get("id").getAsString()));
                pages.add(page.getAsJsonArray("feedback").size());
                cursor = page.has("next") ? page.get("next").getAsString() : "";
            } while (!cursor.isEmpty());
            assertEquals(List.of(3, 3, 1), pages);
            assertEquals(sent, read);
            JsonObject all = JsonParser.parseString(get(base, "/conduit/v1/feedback").body()).getAsJsonObject();
            assertEquals(7, all.getAsJsonArray("feedback").size(), "up to 100 notes without a limit");
            assertFalse(all.has("next"));

            HttpResponse<String> zero = get(base, "/conduit/v1/feedback?limit=0");
            assertEquals(400, zero.statusCode());
            assertTrue(zero.body().contains("limit must be a whole number from 1 to 1000; got 0"), zero.body());
            assertEquals(400, get(base, "/conduit/v1/feedback?limit=1001").statusCode());
            HttpResponse<String> junk = get(base, "/conduit/v1/feedback?cursor=not-a-cursor");
            assertEquals(400, junk.statusCode());
            assertTrue(junk.body().contains("cursor is not one this service gave"), junk.body());
        }
    }

    @Test
    void writesBeyondATokensRateAre429WithRetryAfterWhileOtherTokensStillWrite() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), ANA + " ana\n" + BO + " bo\n");
        try (TestServers service = new TestServers(dir, b -> b.tokensFile(tokens).rateLimits(new RateLimits(3, 2))
                .feedbackStore(FeedbackStore.open("jdbc:h2:mem:rates")))) {
            URI base = service.server().baseUri();
            for (int i = 1; i <= 3; i++) {
                assertEquals(201, post(base, "/conduit/v1/feedback", ANA, note("a" + i, "2026-11-20T10:00:00Z")).statusCode());
            }
            HttpResponse<String> refused = post(base, "/conduit/v1/feedback", ANA, note("a4", "2026-11-20T10:00:00Z"));
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("CDT-RATE-LIMITED"), refused.body());
            assertTrue(refused.body().contains("ana sent more than 3 requests a minute to /conduit/v1/feedback"), refused.body());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 20, "a token comes back every 20 s; Retry-After " + retryAfter);
            assertEquals(201, post(base, "/conduit/v1/feedback", BO, note("b1", "2026-11-20T10:00:00Z")).statusCode(),
                    "another token has its own budget");

            String batch = "{\"samples\": []}";
            assertEquals(200, post(base, "/conduit/v1/telemetry", ANA, batch).statusCode());
            assertEquals(200, post(base, "/conduit/v1/telemetry", ANA, batch).statusCode());
            HttpResponse<String> telemetry = post(base, "/conduit/v1/telemetry", ANA, batch);
            assertEquals(429, telemetry.statusCode(), telemetry.body());
            assertTrue(telemetry.headers().firstValue("Retry-After").isPresent());
            String stored = get(base, "/conduit/v1/feedback?model=plate-denoiser", BO).body();
            assertTrue(stored.contains("\"a3\"") && !stored.contains("\"a4\""), "the refused note was not stored: " + stored);
        }
    }

    private static String note(String id, String at) {
        JsonObject n = new JsonObject();
        n.addProperty("id", id);
        n.addProperty("at", at);
        n.addProperty("model", "plate-denoiser");
        n.addProperty("version", "1.0.0");
        n.addProperty("rating", 4);
        return n.toString();
    }

    private HttpResponse<String> post(URI base, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return get(base, path, null);
    }

    private HttpResponse<String> get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
