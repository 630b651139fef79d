package io.conduit.core.manifest;

/**
 * What a model needs from the machine that runs it. The local engine compares
 * {@code gpuMemoryMiB} with the free memory of the GPU it finds, and refuses the CPU when
 * {@code cpuAllowed} is false (a model too slow there to be useful to an artist).
 *
 * @param precision the numeric precision the model was exported for: {@code fp32}, {@code fp16} or {@code int8}
 * @param tiling how to cut plates larger than the model accepts into tiles; empty: whole images only
 */
public record Requirements(long gpuMemoryMiB, boolean cpuAllowed, String precision,
                           java.util.Optional<Tiling> tiling) {
    public static final java.util.List<String> PRECISIONS = java.util.List.of("fp32", "fp16", "int8");

    /** Requirements without tiling. */
    public Requirements(long gpuMemoryMiB, boolean cpuAllowed, String precision) {
        this(gpuMemoryMiB, cpuAllowed, precision, java.util.Optional.empty());
    }
}
