package io.conduit.installer.bridges;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner of the bridges' Python tests ends a hung script at its timeout, with what it printed. */
class PythonRunnerTest {
    @TempDir
    Path dir;

    @Test
    void aHungScriptFailsAtItsTimeoutWithItsOutput() throws Exception {
        Path hung = Files.writeString(dir.resolve("hung.py"), "import sys, time\nprint('started the frame')\n"
                + "sys.stdout.flush()\ntime.sleep(600)\n");
        AssertionError failed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(AssertionError.class,
                () -> PythonRunner.cpython(hung, dir.resolve("config.json"), List.of(dir), 1, Duration.ofSeconds(2))));
        assertTrue(failed.getMessage().contains("ran past PT2S") && failed.getMessage().contains("started the frame"),
                failed.getMessage());
    }
}
