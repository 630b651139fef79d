package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.DeviceUnavailableException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused device names the setting that asked for it: a variable is not "--device gpu was requested". */
class DeviceSourceTest {
    @TempDir
    Path dir;

    @Test
    void theRefusalNamesTheVariableThatAskedForTheGpu() throws Exception {
        Path pkg = io.conduit.core.testing.TestModels.packageOf("scale_bias.onnx", dir);
        Path x = dir.resolve("x.npy");
        io.conduit.core.io.Npy.write(io.conduit.core.tensor.Tensor.ofFloats(new long[]{1, 1}, 4), x);
        CliProcess run = CliProcess.run(java.util.Map.of("HOME", dir.toString(), "CONDUIT_DEVICE", "gpu",
                "PATH", "/nonexistent"), "run", pkg.toString(), "-i", x.toString()); // PATH: no nvidia-smi, whatever the machine has
        String out = run.out() + run.err();
        assertEquals(9, run.status(), out);
        assertTrue(out.contains("device gpu was requested (by CONDUIT_DEVICE=gpu) but"), out);
        assertTrue(!out.contains("--device gpu was requested"), out);
    }

    @Test
    void eachLayerIsNamedItsOwnWay() {
        DeviceUnavailableException refused = new DeviceUnavailableException("gpu", "no NVIDIA driver found");
        assertEquals("device gpu was requested (by device: gpu in /s/config.json) but no NVIDIA driver found",
                new DeviceUnavailableException(refused, "device: gpu in /s/config.json").getMessage());
        assertEquals("no NVIDIA driver found", refused.reason());
    }
}
