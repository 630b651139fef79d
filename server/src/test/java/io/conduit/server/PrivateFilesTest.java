package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's folder, its feedback spool and the service's database are the owner's alone (0700 and 0600 on POSIX systems). */
class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void theAgentsHomeAndItsSpoolAreOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path home = dir.resolve("home");
        try (AgentLock lock = AgentLock.tryAcquire(home).orElseThrow()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        }
        FeedbackSpool spool = new FeedbackSpool(home.resolve("feedback"));
        JsonObject note = new JsonObject();
        note.addProperty("id", "n1");
        spool.append(note);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("feedback"))));
        try (var files = Files.list(home.resolve("feedback"))) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

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
        Path main = folder.resolve("feedback.mv.db");
        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-r--r--"));
        try (FeedbackStore store = FeedbackStore.open(url)) {
            assertEquals(1, store.list("", java.time.Instant.EPOCH).size());
            assertOwnerOnly(folder);
        }
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
