package io.conduit.core.io;

import io.conduit.core.io.exr.ExrChannel;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrTensors;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.ColorSpace;
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
 * How image outputs are written as EXR: the sample type, the compression (by default ZIP for FLOAT and PIZ
 * for HALF, which {@code bench/run.sh exr} measured smaller and faster to write than ZIP on filmed and
 * denoised plates), and the channel names of the EXR image input, which an output with as many channels
 * keeps (a model that passes {@code diffuse.R/G/B} through writes {@code diffuse.R/G/B}, not {@code R/G/B}).
 *
 * <p>The sample type, when {@code --exr-type} does not name one, follows the source plate for colour: an
 * output declaring {@code colorSpace} {@code sRGB} or {@code linear}, with as many channels as the EXR image
 * input, is written in that plate's sample type (a HALF plate denoised comes back HALF, as a compositor's
 * Write node would keep it; FLOAT output of a HALF source only doubles the file and its ZIP time, about a
 * second a 2K frame). Everything else keeps the tensor's own type (FLOAT for FP32, HALF for FP16): data
 * such as depth, positions or {@code raw} outputs is never narrowed unasked. A colour output with a value HALF
 * cannot hold (beyond ±65504) is written FLOAT instead; asked for HALF with {@code --exr-type}, it is refused by
 * {@link ExrFiles#write}. Either way no value is written as infinity.
 */
public record ExrOutput(Optional<PixelType> pixelType, Optional<ExrCompression> compression, List<String> inputChannels,
                        Optional<PixelType> plateType) {
    /** The compressions {@code --exr-compression} offers: the ones every EXR reader handles well. */
    public static final List<ExrCompression> CHOICES = List.of(ExrCompression.ZIP, ExrCompression.PIZ, ExrCompression.NONE);
    public static final ExrOutput DEFAULTS = new ExrOutput(Optional.empty(), Optional.empty(), List.of());

    public ExrOutput {
        pixelType = Objects.requireNonNullElse(pixelType, Optional.empty());
        compression = Objects.requireNonNullElse(compression, Optional.empty());
        inputChannels = List.copyOf(inputChannels);
        plateType = Objects.requireNonNullElse(plateType, Optional.empty());
        if (pixelType.filter(t -> t == PixelType.UINT).isPresent()) {
            throw new IllegalArgumentException("image outputs are written as HALF or FLOAT, not UINT");
        }
        if (compression.filter(c -> !CHOICES.contains(c)).isPresent()) {
            throw new IllegalArgumentException("EXR outputs are written with " + CHOICES + ", not " + compression.get());
        }
        if (plateType.filter(t -> t == PixelType.UINT).isPresent()) {
            throw new IllegalArgumentException("a source plate's type is HALF or FLOAT, not UINT");
        }
    }

    /** Settings as the command line gives them, before any input plate is known. */
    public ExrOutput(Optional<PixelType> pixelType, Optional<ExrCompression> compression, List<String> inputChannels) {
        this(pixelType, compression, inputChannels, Optional.empty());
    }

    /** These settings with {@code type} asked for, as {@code --exr-type} would. */
    ExrOutput withType(PixelType type) {
        return new ExrOutput(Optional.of(type), compression, inputChannels, plateType);
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

    /**
     * These settings, keeping the channel names the image input takes from its EXR file, if it is one, and
     * that plate's sample type when every channel taken has the same one.
     */
    public ExrOutput withChannelsOf(Manifest manifest, Map<String, Path> inputFiles) {
        for (TensorSpec spec : manifest.inputs()) {
            Path file = inputFiles.get(spec.name());
            if (file != null && ExrFiles.isExr(file) && ExrFiles.isImage(spec)) {
                List<ExrChannel> taken = ExrFiles.channelsTaken(file, spec);
                List<PixelType> types = taken.stream().map(ExrChannel::type).distinct().toList();
                Optional<PixelType> plate = types.size() == 1 && types.get(0) != PixelType.UINT
                        ? Optional.of(types.get(0)) : Optional.empty();
                return new ExrOutput(pixelType, compression, taken.stream().map(ExrChannel::name).toList(), plate);
            }
        }
        return new ExrOutput(pixelType, compression, List.of(), Optional.empty());
    }

    /** The sample type {@code spec}'s tensor of {@code tensorType} with {@code channels} channels is written as. */
    PixelType typeFor(TensorSpec spec, DataType tensorType, int channels) {
        if (pixelType.isPresent()) {
            return pixelType.get();
        }
        if (plateType.isPresent() && channels == inputChannels.size() && isColour(spec)) {
            return plateType.get();
        }
        return tensorType == DataType.FP16 ? PixelType.HALF : PixelType.FLOAT;
    }

    private static boolean isColour(TensorSpec spec) {
        return spec.colorSpace().flatMap(ColorSpace::fromJson)
                .filter(c -> c == ColorSpace.SRGB || c == ColorSpace.LINEAR).isPresent();
    }

    ExrCompression compressionFor(PixelType type) {
        return compression.orElse(type == PixelType.HALF ? ExrCompression.PIZ : ExrCompression.ZIP);
    }

    List<String> namesFor(int channels) {
        return inputChannels.size() == channels ? inputChannels : ExrTensors.defaultNames(channels);
    }

    /** What these settings do to a file's bytes, for cache keys; channel names follow from the inputs. */
    public String describe() {
        return "exr " + pixelType.map(PixelType::name).orElse("plate-type-for-colour") + " "
                + compression.map(ExrCompression::name).orElse("default");
    }
}
