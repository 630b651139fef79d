package io.conduit.core.io;

import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrTensors;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How image outputs are written as EXR: the sample type (HALF or FLOAT; by default the tensor's own,
 * FLOAT for FP32 and HALF for FP16), the compression (by default ZIP for FLOAT and PIZ for HALF, which
 * {@code bench/run.sh exr} measured smaller and faster to write than ZIP on filmed and denoised plates),
 * and the channel names of the EXR image input, which an output with as many channels keeps (a model that
 * passes {@code diffuse.R/G/B} through writes {@code diffuse.R/G/B}, not {@code R/G/B}).
 */
public record ExrOutput(Optional<PixelType> pixelType, Optional<ExrCompression> compression, List<String> inputChannels) {
    /** The compressions {@code --exr-compression} offers: the ones every EXR reader handles well. */
    public static final List<ExrCompression> CHOICES = List.of(ExrCompression.ZIP, ExrCompression.PIZ, ExrCompression.NONE);
    public static final ExrOutput DEFAULTS = new ExrOutput(Optional.empty(), Optional.empty(), List.of());

    public ExrOutput {
        pixelType = Objects.requireNonNullElse(pixelType, Optional.empty());
        compression = Objects.requireNonNullElse(compression, Optional.empty());
        inputChannels = List.copyOf(inputChannels);
        if (pixelType.filter(t -> t == PixelType.UINT).isPresent()) {
            throw new IllegalArgumentException("image outputs are written as HALF or FLOAT, not UINT");
        }
        if (compression.filter(c -> !CHOICES.contains(c)).isPresent()) {
            throw new IllegalArgumentException("EXR outputs are written with " + CHOICES + ", not " + compression.get());
        }
    }

    /** {@code half} or {@code float}, as {@code --exr-type} takes it. */
    public static PixelType parseType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "half" -> PixelType.HALF;
            case "float" -> PixelType.FLOAT;
            default -> throw new IllegalArgumentException("EXR type " + name + "; expected half or float");
        };
    }

    /** {@code zip}, {@code piz} or {@code none}, as {@code --exr-compression} takes it. */
    public static ExrCompression parseCompression(String name) {
        return CHOICES.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("EXR compression " + name + "; expected zip, piz or none"));
    }

    /** These settings, keeping the channel names the image input takes from its EXR file, if it is one. */
    public ExrOutput withChannelsOf(Manifest manifest, Map<String, Path> inputFiles) {
        for (TensorSpec spec : manifest.inputs()) {
            Path file = inputFiles.get(spec.name());
            if (file != null && ExrFiles.isExr(file) && ExrFiles.isImage(spec)) {
                return new ExrOutput(pixelType, compression, ExrFiles.channelsTaken(file, spec));
            }
        }
        return new ExrOutput(pixelType, compression, List.of());
    }

    PixelType typeFor(DataType tensorType) {
        return pixelType.orElse(tensorType == DataType.FP16 ? PixelType.HALF : PixelType.FLOAT);
    }

    ExrCompression compressionFor(PixelType type) {
        return compression.orElse(type == PixelType.HALF ? ExrCompression.PIZ : ExrCompression.ZIP);
    }

    List<String> namesFor(int channels) {
        return inputChannels.size() == channels ? inputChannels : ExrTensors.defaultNames(channels);
    }

    /** What these settings do to a file's bytes, for cache keys; channel names follow from the inputs. */
    public String describe() {
        return "exr " + pixelType.map(PixelType::name).orElse("tensor-type") + " "
                + compression.map(ExrCompression::name).orElse("default");
    }
}
