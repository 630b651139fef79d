package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import io.conduit.server.feedback.FeedbackStore;
import io.conduit.server.telemetry.TelemetryStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's embedded database holds notes and their authors: its files are the owner's alone, whatever the umask. */
class ServiceDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void theServicesDatabaseFilesAreOwnerOnlyWhateverTheUmask() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path folder = dir.resolve("service");
        String url = "jdbc:h2:file:" + folder.resolve("feedback");
        JsonObject note = new JsonObject();
        note.addProperty("id", "n1");
        note.addProperty("at", "2026-11-27T12:00:00Z");
        note.addProperty("rating", 2);
        note.addProperty("note", "the edges ring");
        try (FeedbackStore store = FeedbackStore.open(url); TelemetryStore telemetry = TelemetryStore.open(url)) {
            store.add(note);
            assertOwnerOnly(folder);
        }
        // A database made before this release (as the umask said) is made owner-only when it is opened.
        Files.setPosixFilePermissions(folder.resolve("feedback.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        try (FeedbackStore store = FeedbackStore.open(url)) {
            assertEquals(1, store.list("", Instant.EPOCH).size());
            assertOwnerOnly(folder);
        }
    }

    @Test
    void onlyEmbeddedFileUrlsNameAFile() {
        assertEquals(Path.of("/srv/conduit/feedback.mv.db"), ServiceDatabase.h2File("jdbc:h2:file:/srv/conduit/feedback;MODE=PostgreSQL"));
        assertEquals(Path.of("/srv/x.mv.db"), ServiceDatabase.h2File("jdbc:h2:/srv/x"));
        assertEquals(null, ServiceDatabase.h2File("jdbc:h2:mem:test"));
        assertEquals(null, ServiceDatabase.h2File("jdbc:h2:tcp://db/feedback"));
        assertEquals(null, ServiceDatabase.h2File("jdbc:postgresql://db/conduit"));
    }

    private static void assertOwnerOnly(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertTrue(all.stream().anyMatch(f -> f.getFileName().toString().equals("feedback.mv.db")), all.toString());
            for (Path file : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }
}
