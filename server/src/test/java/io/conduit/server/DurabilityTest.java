package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.server.feedback.FeedbackHandler;
import io.conduit.server.feedback.FeedbackStore;
import io.conduit.server.telemetry.Telemetry;
import io.conduit.server.telemetry.TelemetryHandler;
import io.conduit.server.telemetry.TelemetryStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service acknowledged survives its process being killed with SIGKILL right after. */
class DurabilityTest {
    private static final int NOTES = 70;
    private static final int SAMPLES = 40;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAcknowledgedNoteAndTelemetryRecordSurvivesSigkill() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("service-db").toAbsolutePath();
        try (ServiceProcess service = ServiceProcess.start(url, dir.resolve("models"))) {
            for (int i = 0; i < NOTES; i++) {
                HttpResponse<String> answer = post(service, FeedbackHandler.PATH, note("n" + i).toString());
                assertEquals(201, answer.statusCode(), answer.body());
            }
            JsonArray samples = new JsonArray();
            for (int i = 0; i < SAMPLES; i++) {
                samples.add(new Telemetry.Sample(Instant.now(), "", "plate-denoiser", "1.0.0", "local-gpu", "", 1, 2, 3,
                        6, 1024, "", false).toJson());
            }
            JsonObject batch = new JsonObject();
            batch.add("samples", samples);
            HttpResponse<String> taken = post(service, TelemetryHandler.INGEST, batch.toString());
            assertEquals(200, taken.statusCode(), taken.body());
            service.kill(); // at once: the acknowledgements are all the client has
        }
        try (FeedbackStore store = FeedbackStore.open(url)) {
            assertEquals(NOTES, store.list("", Instant.EPOCH).size(), "every acknowledged note is on disk");
        }
        try (TelemetryStore store = TelemetryStore.open(url)) {
            assertEquals(SAMPLES, store.recent(Telemetry.CAPACITY).size(), "every acknowledged record is on disk");
        }
        try (ServiceProcess restarted = ServiceProcess.start(url, dir.resolve("models"))) {
            String stats = http.send(HttpRequest.newBuilder(restarted.base.resolve(TelemetryHandler.STATS
                    + "?model=plate-denoiser")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(SAMPLES, JsonParser.parseString(stats).getAsJsonObject().getAsJsonArray("stats").get(0)
                    .getAsJsonObject().get("calls").getAsInt(), "the stats window is filled again at start: " + stats);
        }
    }

    private HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(service.base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject note(String id) {
        JsonObject n = new JsonObject();
        n.addProperty("id", id);
        n.addProperty("at", Instant.now().toString());
        n.addProperty("model", "plate-denoiser");
        n.addProperty("version", "1.0.0");
        n.addProperty("rating", 3);
        n.addProperty("note", "soft edges");
        return n;
    }
}
