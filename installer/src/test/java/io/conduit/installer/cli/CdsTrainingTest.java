package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's training run does what the commands whose start-up counts do, `run` and a service with
 * its database and one inference, so their classes end up in lib/conduit.jsa; and it leaves nothing behind.
 */
class CdsTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theTrainingRunLoadsWhatRunAndServeLoadAndLeavesNothing() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path classes = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(io.conduit.core.testing.TestJava.command(CdsTraining.class.getName(),
                "-Dconduit.home=" + Path.of("src/dist").toAbsolutePath(), "-Djava.io.tmpdir=" + tmp,
                "-Xlog:class+load=info:file=" + classes));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String loaded = Files.readString(classes);
        for (String name : List.of("io.conduit.installer.cli.ConduitMain", "io.conduit.installer.cli.RunCommand", "ai.onnxruntime.OrtSession",
                "org.eclipse.jetty.server.Server", "io.conduit.server.v2.V2Handler", "io.conduit.server.v2.ModelLoader",
                "org.h2.mvstore.MVStore", "io.conduit.server.feedback.FeedbackStore")) {
            assertTrue(loaded.contains(" " + name + " "), name + " was not loaded by the training run");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the training run leaves nothing in the temporary folder");
        }
    }
}
