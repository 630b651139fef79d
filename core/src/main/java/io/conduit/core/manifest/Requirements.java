package io.conduit.core.manifest;

/**
 * What a model needs from the machine that runs it. The local engine compares
 * {@code gpuMemoryMiB} with the free memory of the GPU it finds, and refuses the CPU when
 * {@code cpuAllowed} is false (a model too slow there to be useful to an artist).
 *
 * @param precision the numeric precision the model was exported for: {@code fp32}, {@code fp16} or {@code int8}
 * @param tiling how to cut plates larger than the model accepts into tiles; empty: whole images only
 * @param maxInputElements the most elements any one input may hold; empty: {@link #DEFAULT_MAX_INPUT_ELEMENTS}.
 *     Dynamic axes do not mean unlimited: a request's size is checked against this before inference.
 */
public record Requirements(long gpuMemoryMiB, boolean cpuAllowed, String precision,
                           java.util.Optional<Tiling> tiling, java.util.OptionalLong maxInputElements) {
    public static final java.util.List<String> PRECISIONS = java.util.List.of("fp32", "fp16", "int8");

    /** 2^30 elements (4 GiB of FP32): more than a 16K RGBA plate, far less than a hostile shape asks for. */
    public static final long DEFAULT_MAX_INPUT_ELEMENTS = 1L << 30;

    public Requirements {
        maxInputElements = java.util.Objects.requireNonNullElse(maxInputElements, java.util.OptionalLong.empty());
    }

    /** Requirements with tiling and the default input bound. */
    public Requirements(long gpuMemoryMiB, boolean cpuAllowed, String precision, java.util.Optional<Tiling> tiling) {
        this(gpuMemoryMiB, cpuAllowed, precision, tiling, java.util.OptionalLong.empty());
    }

    /** The bound in force for each input. */
    public long inputElementLimit() {
        return maxInputElements.orElse(DEFAULT_MAX_INPUT_ELEMENTS);
    }

    /** Requirements without tiling. */
    public Requirements(long gpuMemoryMiB, boolean cpuAllowed, String precision) {
        this(gpuMemoryMiB, cpuAllowed, precision, java.util.Optional.empty());
    }
}
