package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -q keeps stderr for errors only; the help's exit-status table comes from the one table of error codes. */
class VerbosityTest {
    @TempDir
    Path home;

    private String[] conduit(String... args) throws Exception {
        CliProcess run = CliProcess.run(java.util.Map.of("HOME", home.toString(), "CONDUIT_DEVCE", "gpu"), args);
        return new String[]{String.valueOf(run.status()), run.out(), run.err()};
    }

    @Test
    void quietLeavesOutConfigurationWarningsAndKeepsTheResult() throws Exception {
        String registry = home.resolve("registry").toString();
        String[] loud = conduit("models", "list", "--registry", registry);
        assertTrue(loud[2].contains("did you mean CONDUIT_DEVICE?"), loud[2]);
        String[] quiet = conduit("-q", "models", "list", "--registry", registry);
        assertEquals("", quiet[2]);
        assertEquals(loud[0], quiet[0]);
        assertTrue(quiet[1].startsWith("no models in"), "the result is still printed: " + quiet[1]);
    }

    @Test
    void theHelpListsEveryExitStatus() {
        CliRunner help = CliRunner.run("--help");
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(help.out().contains(String.format(" %2d  %s", code.exitStatus(), code.searchCode())), code.name());
        }
    }
}
