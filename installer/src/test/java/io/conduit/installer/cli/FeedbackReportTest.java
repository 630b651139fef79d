package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.feedback.FeedbackStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit feedback report against a real service holding a known set of notes. */
class FeedbackReportTest {
    @TempDir
    Path dir;

    /** Show names and notes come from whoever sent them: neither a spreadsheet nor a terminal may run them. */
    @Test
    void csvCellsCannotBeFormulasAndTextCannotDriveTheTerminal() {
        JsonObject note = new JsonObject();
        note.addProperty("version", "1.0.0");
        note.addProperty("rating", 2);
        note.addProperty("show", "=HYPERLINK(\"http://x\",\"ok\")");
        note.addProperty("department", "comp");
        note.addProperty("user", "ana");
        note.addProperty("note", "fine\u001b[2J\rgone");
        JsonObject report = FeedbackReport.of("m", java.util.List.of(note));
        String csv = FeedbackReport.csv(report);
        assertTrue(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"ok\"\")\","), csv);
        assertEquals("'+1", FeedbackReport.cell("+1"));
        assertEquals("'@SUM(A1)", FeedbackReport.cell("@SUM(A1)"));
        assertEquals("plain", FeedbackReport.cell("plain"));
        assertEquals("fine [2J gone", FeedbackReport.printable("fine\u001b[2J\rgone"));
    }

    @Test
    void perVersionCountsRatingsMeansAndShowsMatchTheKnownSet() throws Exception {
        String[][] notes = {
            {"1", "1.0.0", "5", "ABC", "comp", "clean"}, {"2", "1.0.0", "3", "ABC", "comp", ""},
            {"3", "1.0.0", "4", "XYZ", "lighting", "a bit soft"}, {"4", "2.0.0", "1", "ABC", "comp", "halo"},
            {"5", "2.0.0", "2", "ABC", "fx", ""},
        };
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("tests"));
             ConduitServer service = ConduitServer.start(ServerConfig.builder(Files.createDirectories(dir.resolve("m")))
                     .port(0).feedbackStore(FeedbackStore.open("jdbc:h2:file:" + dir.resolve("db"))).build(), engine)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String[] n : notes) {
                JsonObject o = new JsonObject();
                o.addProperty("id", "note-" + n[0]);
                o.addProperty("at", "2026-11-2" + n[0] + "T10:00:00Z");
                o.addProperty("model", "plate-denoiser");
                o.addProperty("version", n[1]);
                o.addProperty("rating", Integer.parseInt(n[2]));
                o.addProperty("show", n[3]);
                o.addProperty("department", n[4]);
                o.addProperty("note", n[5]);
                o.addProperty("user", "ana");
                for (int attempt = 0; attempt < 2; attempt++) { // every note sent twice, as a retry would
                    int status = http.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/conduit/v1/feedback"))
                            .POST(HttpRequest.BodyPublishers.ofString(o.toString())).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                    assertEquals(attempt == 0 ? 201 : 200, status);
                }
            }
            CliRunner run = CliRunner.run("feedback", "report", "plate-denoiser", "--service", service.baseUri().toString(),
                    "--json");
            assertEquals(0, run.status(), run.err());
            JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
            JsonObject v1 = report.getAsJsonArray("versions").get(0).getAsJsonObject();
            assertEquals("1.0.0", v1.get("version").getAsString());
            assertEquals(3, v1.get("count").getAsInt());
            assertEquals(4.0, v1.get("mean").getAsDouble());
            assertEquals("{\"1\":0,\"2\":0,\"3\":1,\"4\":1,\"5\":1}", v1.getAsJsonObject("ratings").toString());
            assertEquals(2, v1.getAsJsonObject("byShow").getAsJsonObject("ABC").get("count").getAsInt());
            assertEquals(1, v1.getAsJsonObject("byDepartment").getAsJsonObject("lighting").get("count").getAsInt());
            assertEquals(2, v1.getAsJsonArray("notes").size(), "empty notes are counted, not listed");
            JsonObject v2 = report.getAsJsonArray("versions").get(1).getAsJsonObject();
            assertEquals(1.5, v2.get("mean").getAsDouble());

            CliRunner since = CliRunner.run("feedback", "report", "plate-denoiser", "--service", service.baseUri().toString(),
                    "--since", "2026-11-24", "--csv");
            assertEquals(0, since.status(), since.err());
            assertEquals("model,version,show,count,r1,r2,r3,r4,r5,mean\nplate-denoiser,2.0.0,ABC,2,1,1,0,0,0,1.5\n",
                    since.out(), "notes 4 (on the 24th) and 5 only");
            assertTrue(since.out().contains("2.0.0"));

            CliRunner none = CliRunner.run("stats", "plate-denoiser", "--service", service.baseUri().toString());
            assertEquals(0, none.status(), none.err());
            assertTrue(none.out().contains("no inferences of plate-denoiser recorded"), none.out());
            CliRunner all = CliRunner.run("stats", "-", "--service", service.baseUri().toString(), "--json");
            assertEquals("[]", JsonParser.parseString(all.out()).getAsJsonObject().getAsJsonArray("stats").toString());
        }
    }
}
