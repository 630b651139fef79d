package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.io.Npy;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's own warnings (native, straight to stderr) stay out of a command's output unless -v asks. */
class OrtLogLevelTest {
    @TempDir
    Path dir;

    private String stderrOf(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.conduit.installer.cli.ConduitMain"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), err);
        return err;
    }

    @Test
    void onnxRuntimesWarningsShowOnlyWithVerbose() throws Exception {
        Path pkg = TestModels.packageOf("unused_initializer.onnx", dir);
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(new long[]{1}, 4), x);
        String verbose = stderrOf("-v", "run", pkg.toString(), "-i", x.toString(), "--device", "cpu");
        assertTrue(verbose.contains("leftover"), "ONNX Runtime names the unused initializer with -v: " + verbose);
        String plain = stderrOf("run", pkg.toString(), "-i", x.toString(), "--device", "cpu");
        assertFalse(plain.contains("leftover"), plain);
    }
}
