package io.conduit.core.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.manifest.Requirements;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    private static final GpuStatus BIG_GPU = new GpuStatus(
            List.of(new GpuInfo(0, "NVIDIA T4", 3000), new GpuInfo(1, "NVIDIA RTX A6000", 40000)), true, "");
    private static final GpuStatus NO_DRIVER = GpuStatus.none("no NVIDIA driver found (nvidia-smi is not installed)");

    static Manifest needing(long mib, boolean cpuAllowed) throws Exception {
        Manifest m = ManifestReader.read(Path.of(DeviceSelectorTest.class.getResource("/manifests/v1/minimal.json").toURI()));
        return new Manifest(m.schemaVersion(), m.name(), m.version(), m.description(), m.authors(), m.modelFile(),
                m.inputs(), m.outputs(), new Requirements(mib, cpuAllowed, "fp32"), m.hosts(), m.lineage(), m.assets(),
                m.files());
    }

    @Test
    void autoPicksTheRoomiestGpuAndSaysWhy() throws Exception {
        RouteDecision d = DeviceSelector.select(needing(2048, true), DevicePreference.AUTO, BIG_GPU);
        assertEquals(Route.LOCAL_GPU, d.route());
        assertEquals(1, d.gpuIndex());
        assertEquals("GPU 1 (NVIDIA RTX A6000) has 40000 MiB free; the model needs 2048 MiB", d.reason());
    }

    @Test
    void autoFallsBackToCpuWithTheReason() throws Exception {
        RouteDecision noDriver = DeviceSelector.select(needing(2048, true), DevicePreference.AUTO, NO_DRIVER);
        assertEquals(Route.LOCAL_CPU, noDriver.route());
        assertTrue(noDriver.reason().startsWith("no NVIDIA driver found"), noDriver.reason());
        RouteDecision tooSmall = DeviceSelector.select(needing(65536, true), DevicePreference.AUTO, BIG_GPU);
        assertEquals(Route.LOCAL_CPU, tooSmall.route());
        assertTrue(tooSmall.reason().contains("has 40000 MiB free; point-smooth@0.1.0 needs 65536 MiB"), tooSmall.reason());
        GpuStatus cpuBuild = new GpuStatus(BIG_GPU.gpus(), false, "this ONNX Runtime build has no CUDA provider");
        assertTrue(DeviceSelector.select(needing(1, true), DevicePreference.AUTO, cpuBuild).reason()
                .startsWith("this ONNX Runtime build has no CUDA provider"));
    }

    @Test
    void gpuPreferenceFailsClearlyWithoutAUsableGpu() throws Exception {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> DeviceSelector.select(needing(1, true), DevicePreference.GPU, NO_DRIVER));
        assertTrue(e.getMessage().startsWith("device gpu was requested but no NVIDIA driver found"), e.getMessage());
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
    }

    @Test
    void cpuIsRefusedWhenTheManifestForbidsIt() throws Exception {
        ConduitException forced = assertThrows(ConduitException.class,
                () -> DeviceSelector.select(needing(1, false), DevicePreference.CPU, BIG_GPU));
        assertTrue(forced.getMessage().contains("does not allow the CPU"), forced.getMessage());
        ConduitException auto = assertThrows(ConduitException.class,
                () -> DeviceSelector.select(needing(1, false), DevicePreference.AUTO, NO_DRIVER));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, auto.code());
        assertEquals(Route.LOCAL_GPU, DeviceSelector.select(needing(1, false), DevicePreference.AUTO, BIG_GPU).route());
    }
}
