package io.conduit.server.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.conduit.server.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feedback path: the agent's durable spool, its uploader's retries, the service's store. */
class FeedbackTest {
    @TempDir
    Path dir;

    private static JsonObject note(String id, String version, int rating) {
        JsonObject n = new JsonObject();
        n.addProperty("id", id);
        n.addProperty("at", Instant.now().toString());
        n.addProperty("model", "plate-denoiser");
        n.addProperty("version", version);
        n.addProperty("rating", rating);
        n.addProperty("note", "edges " + rating);
        n.addProperty("user", "ana");
        n.addProperty("show", "ABC");
        return n;
    }

    @Test
    void theStoreKeepsANoteOncePerIdAndListsBySinceAndModel() {
        storeBehaviour("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    }

    /** The same behaviour on a real PostgreSQL, which .ci/run starts on loopback (skipped elsewhere, required under CI=true). */
    @Test
    void theSameStoreOnPostgresql() throws Exception {
        String url = System.getenv("CONDUIT_TEST_POSTGRES");
        RequiredTool.require(url != null, "no PostgreSQL here (CONDUIT_TEST_POSTGRES unset)");
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS conduit_feedback");
        }
        storeBehaviour(url);
    }

    private void storeBehaviour(String url) {
        try (FeedbackStore store = FeedbackStore.open(url)) {
            assertTrue(store.add(note("a", "1.0.0", 4)));
            assertFalse(store.add(note("a", "1.0.0", 4)), "an upload retried is stored once");
            assertTrue(store.add(note("b", "2.0.0", 2)));
            assertEquals(2, store.list("plate-denoiser", Instant.EPOCH).size());
            assertEquals(0, store.list("other", Instant.EPOCH).size());
            assertEquals(0, store.list("", Instant.now().plusSeconds(60)).size());
            assertEquals("ABC", store.list("", Instant.EPOCH).get(0).get("show").getAsString());
        }
        try (FeedbackStore reopened = FeedbackStore.open(url)) {
            assertEquals(2, reopened.list("", Instant.EPOCH).size(), "kept on disk");
        }
    }

    @Test
    void theSpoolSurvivesATornLastLineAndForgetsOnlyWhatWasAcknowledged() throws Exception {
        FeedbackSpool spool = new FeedbackSpool(dir.resolve("feedback"));
        spool.append(note("a", "1.0.0", 5));
        spool.append(note("b", "1.0.0", 3));
        Files.writeString(dir.resolve("feedback/spool.jsonl"), "{\"id\": \"c\", \"rat", java.nio.file.StandardOpenOption.APPEND);
        spool.markUploaded("a");
        FeedbackSpool restarted = new FeedbackSpool(dir.resolve("feedback")); // as after the crash that tore "c"
        restarted.append(note("d", "1.0.0", 4));
        List<JsonObject> pending = restarted.pending();
        assertEquals(List.of("b", "d"), pending.stream().map(n -> n.get("id").getAsString()).toList(),
                "a note written after a torn line is kept whole");
    }

    @Test
    void anUploadRefusedWith503IsRetriedAndSentOnce() throws Exception {
        FeedbackSpool spool = new FeedbackSpool(dir.resolve("feedback"));
        spool.append(note("a", "1.0.0", 5));
        try (MockWebServer service = new MockWebServer()) {
            service.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "1"));
            service.enqueue(new MockResponse().setResponseCode(201).setBody("{\"stored\": true}"));
            service.start();
            FeedbackUploader uploader = new FeedbackUploader(spool, service.url("/").uri(), "tok-1234567890abcdef");
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (uploader.uploaded() < 1 && System.nanoTime() < deadline) {
                    uploader.wake();
                    Thread.sleep(50);
                }
            } finally {
                uploader.close();
            }
            assertEquals(1, uploader.uploaded());
            assertEquals(2, service.getRequestCount(), "one refused, one accepted");
            assertEquals("Bearer tok-1234567890abcdef", service.takeRequest().getHeader("Authorization"));
            assertTrue(service.takeRequest().getBody().readUtf8().contains("\"id\":\"a\""));
            assertEquals(List.of(), spool.pending());
        }
    }
}
