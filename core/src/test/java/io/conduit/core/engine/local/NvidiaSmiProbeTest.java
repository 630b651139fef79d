package io.conduit.core.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real probe, run against stand-ins for nvidia-smi: absent, failing, and answering. */
class NvidiaSmiProbeTest {
    @TempDir
    Path dir;

    @Test
    void parsesTheDriversCsvSkippingGpusThatCannotReport() throws Exception {
        List<NvidiaSmiProbe.DriverGpu> gpus = NvidiaSmiProbe.parse(
                "0, GPU-aaaa-1, NVIDIA H100 80GB HBM3, 80532\n1, GPU-bbbb-2, NVIDIA RTX A5000, 24000\n"
                        + "2, GPU-cccc-3, NVIDIA T4, [N/A]\n");
        assertEquals(List.of(new NvidiaSmiProbe.DriverGpu(0, "GPU-aaaa-1", "NVIDIA H100 80GB HBM3", 80532),
                new NvidiaSmiProbe.DriverGpu(1, "GPU-bbbb-2", "NVIDIA RTX A5000", 24000)), gpus);
    }

    @Test
    void cudaVisibleDevicesHidesAndRenumbersGpus() throws Exception {
        List<NvidiaSmiProbe.DriverGpu> gpus = NvidiaSmiProbe.parse(
                "0, GPU-aaaa-1, NVIDIA H100, 80532\n1, GPU-bbbb-2, NVIDIA RTX A5000, 24000\n");
        assertEquals(List.of(new GpuInfo(0, "NVIDIA H100", 80532), new GpuInfo(1, "NVIDIA RTX A5000", 24000)),
                NvidiaSmiProbe.visibleToCuda(gpus, null));
        assertEquals(List.of(new GpuInfo(0, "NVIDIA RTX A5000", 24000)), NvidiaSmiProbe.visibleToCuda(gpus, "1"));
        assertEquals(List.of(new GpuInfo(0, "NVIDIA RTX A5000", 24000), new GpuInfo(1, "NVIDIA H100", 80532)),
                NvidiaSmiProbe.visibleToCuda(gpus, "GPU-bbbb,0"));
        assertEquals(List.of(), NvidiaSmiProbe.visibleToCuda(gpus, ""));
    }

    @Test
    void aMissingDriverIsAReasonNotACrash() {
        GpuStatus status = new NvidiaSmiProbe(dir.resolve("no-such-nvidia-smi").toString()).probe();
        assertTrue(status.gpus().isEmpty());
        assertTrue(status.problem().startsWith("no NVIDIA driver found"), status.problem());
    }

    @Test
    void aFailingDriverIsReportedWithItsMessage() throws Exception {
        Path smi = script("echo 'NVIDIA-SMI has failed because it couldn'\"'\"'t communicate with the NVIDIA driver.'; exit 9");
        GpuStatus status = new NvidiaSmiProbe(smi.toString()).probe();
        assertTrue(status.problem().contains("failed (exit 9): NVIDIA-SMI has failed"), status.problem());
    }

    @Test
    void anAnsweringDriverListsGpusAndChecksTheCudaProvider() throws Exception {
        Path smi = script("echo '0, GPU-1234, NVIDIA RTX A4000, 15000'");
        GpuStatus status = new NvidiaSmiProbe(smi.toString()).probe();
        if (System.getenv("CUDA_VISIBLE_DEVICES") == null) {
            assertEquals(List.of(new GpuInfo(0, "NVIDIA RTX A4000", 15000)), status.gpus());
        }
        boolean cudaBuild = ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
        assertEquals(cudaBuild, status.cudaProviderAvailable());
        assertEquals(cudaBuild, !status.problem().contains("no CUDA provider"), status.problem());
    }

    private Path script(String body) throws Exception {
        Path file = dir.resolve("nvidia-smi");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
