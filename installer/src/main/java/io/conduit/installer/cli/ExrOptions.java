package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.ExrOutput;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --exr-type} and {@code --exr-compression}: how {@code run} and {@code batch} write EXR outputs. */
final class ExrOptions {
    @Option(names = "--exr-type", paramLabel = "half|float", description = "Sample type of EXR outputs."
            + " Default: a colour output (colorSpace sRGB or linear) with as many channels as the EXR input plate"
            + " takes the plate's type; any other output the tensor's (float for FP32, half for FP16)."
            + " Values beyond half's range are refused, never written as infinity.")
    String type;

    @Option(names = "--exr-compression", paramLabel = "zip|piz|none", description = "Compression of EXR outputs."
            + " Default: zip for float, piz for half.")
    String compression;

    ExrOutput settings() {
        try {
            return new ExrOutput(Optional.ofNullable(type).map(ExrOutput::parseType),
                    Optional.ofNullable(compression).map(ExrOutput::parseCompression), java.util.List.of());
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, e.getMessage());
        }
    }
}
