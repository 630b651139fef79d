package io.conduit.server.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import io.conduit.server.feedback.FeedbackSpool;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's folder and its feedback spool are the owner's alone (0700 and 0600 on POSIX systems). */
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
}
