package io.conduit.core.engine.local;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link GpuProbe} found: the GPUs visible to the driver, whether this ONNX Runtime build
 * carries the CUDA execution provider, and when either is missing, the reason in plain words.
 */
public record GpuStatus(List<GpuInfo> gpus, boolean cudaProviderAvailable, String problem) {
    public GpuStatus {
        gpus = List.copyOf(gpus);
    }

    public static GpuStatus none(String problem) {
        return new GpuStatus(List.of(), false, problem);
    }

    /** The GPU with the most free memory, if any. */
    public Optional<GpuInfo> roomiest() {
        return gpus.stream().max(java.util.Comparator.comparingLong(GpuInfo::freeMemoryMiB));
    }
}
