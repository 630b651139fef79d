package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.io.Npy;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's own warnings (native, straight to stderr) stay out of a command's output unless -v asks. */
class OrtLogLevelTest {
    @TempDir
    Path dir;

    private String stderrOf(String... args) throws Exception {
        CliProcess run = CliProcess.run(java.util.Map.of("HOME", dir.toString()), args);
        assertEquals(0, run.status(), run.err());
        return run.err();
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
