package io.conduit.core.io;

import io.conduit.core.FileFormatException;
import io.conduit.core.io.exr.ExrBox;
import io.conduit.core.io.exr.ExrChannel;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrTensors;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.ColorSpace;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenEXR plates as model tensors: an image input takes the file's channels in the order R, G, B, A,
 * then the rest alphabetically (as many as the input has, all when its channel axis is dynamic), laid
 * out as the manifest says (NCHW, NHWC, CHW, HWC); an image output is written with the sample type,
 * compression and channel names {@link ExrOutput} gives (by default the input plate's names when the output
 * has as many channels, else R, G, B (A); for a colour output the input plate's sample type, else FLOAT for
 * FP32 and HALF for FP16; ZIP for FLOAT and PIZ for HALF). EXR values are scene-linear: a tensor declaring
 * {@code colorSpace: sRGB} gets them through the sRGB curve on the way in, and its values decoded back to
 * linear on the way out, as an 8-bit file would be; {@code linear} and {@code raw} tensors get them as
 * they are. Then, as for PNG's normalized values, a declared {@code valueRange [min, max]} maps 0 to
 * {@code min} and 1 to {@code max} (linearly, unclamped: highlights above 1 and negatives keep going), and
 * outputs are mapped back before they are written; no {@code valueRange} means {@code [0, 1]}, the values
 * as they are.
 */
public final class ExrFiles {
    /** The smallest magnitude that rounds to infinity as a HALF (65504 is the largest finite HALF). */
    private static final float HALF_OVERFLOW = 65520f;
    private static final Map<String, float[]> HALF_TABLES = new ConcurrentHashMap<>();

    private ExrFiles() {
    }

    public static boolean isExr(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".exr");
    }

    public static Tensor read(Path file, TensorSpec spec) {
        requireImage(spec, file);
        ExrImage image = ExrReader.read(file);
        List<String> taken = taken(ExrTensors.tensorOrder(image), spec, file);
        int channels = taken.size();
        int width = image.width();
        int height = image.height();
        int pixels = width * height;
        DataType type = spec.datatype() == DataType.FP16 ? DataType.FP16 : DataType.FP32;
        Tensor tensor = Tensor.allocate(type, shape(spec.layout(), channels, height, width));
        boolean channelsFirst = spec.layout() == Layout.NCHW || spec.layout() == Layout.CHW;
        boolean encode = srgb(spec);
        Range range = Range.of(spec);
        // A HALF channel has 65,536 possible values: on a plate of more samples than that, each one's model value
        // (curve and range) comes from a table, made once per read at most (the same values either way).
        boolean useTable = (long) pixels * channels > 2 * (1 << 16);
        float[] halfTable = null;
        for (int c = 0; c < channels; c++) {
            String name = taken.get(c);
            if (useTable && halfTable == null && image.holdsHalfBits(name)) {
                halfTable = halfTable(encode, range);
            }
            float[] table = useTable && image.holdsHalfBits(name) ? halfTable : null;
            int channel = c;
            // The layout change and the curve, in bands of rows on every core, each band copied out of the plane.
            Bands.run(height, (from, to) -> {
                FloatBuffer floats = type == DataType.FP32 ? tensor.floats() : null;
                ShortBuffer halves = type == DataType.FP16 ? tensor.halfBits() : null;
                int first = from * width;
                int count = (to - from) * width;
                short[] bits = table != null ? new short[count] : null;
                float[] samples = table != null ? null : new float[count];
                if (table != null) {
                    image.copyHalfBits(name, first, bits, 0, count);
                } else {
                    image.copyFloats(name, first, samples, 0, count);
                }
                for (int k = 0; k < count; k++) {
                    int i = first + k;
                    int index = channelsFirst ? channel * pixels + i : i * channels + channel;
                    float value = table != null ? table[bits[k] & 0xffff] : toModel(samples[k], encode, range);
                    if (halves != null) {
                        halves.put(index, Half.fromFloat(value));
                    } else {
                        floats.put(index, value);
                    }
                }
            });
        }
        return tensor;
    }

    private static float toModel(float linear, boolean encode, Range range) {
        return (float) range.toModel(encode ? SrgbCurve.encode(linear) : linear);
    }

    /** The model value of every HALF bit pattern, for one curve and range; a few are kept (one per manifest entry). */
    private static float[] halfTable(boolean encode, Range range) {
        String key = encode + " " + range.min() + " " + range.max();
        float[] table = HALF_TABLES.get(key);
        if (table == null) {
            table = new float[1 << 16];
            for (int bits = 0; bits < table.length; bits++) {
                table[bits] = toModel(Half.toFloat((short) bits), encode, range);
            }
            if (HALF_TABLES.size() < 16) {
                HALF_TABLES.put(key, table);
            }
        }
        return table;
    }

    /** The channels {@link #read} takes from {@code file} for {@code spec} (names and sample types), in tensor order. */
    public static List<ExrChannel> channelsTaken(Path file, TensorSpec spec) {
        requireImage(spec, file);
        List<ExrChannel> channels = ExrReader.channels(file);
        List<String> names = taken(ExrTensors.tensorOrder(channels.stream().map(ExrChannel::name).toList()), spec, file);
        return names.stream().map(n -> channels.stream().filter(c -> c.name().equals(n)).findFirst().orElseThrow()).toList();
    }

    private static List<String> taken(List<String> order, TensorSpec spec, Path file) {
        long declared = channelsOf(spec.layout(), spec.shape());
        int channels = declared < 0 ? order.size() : (int) declared;
        if (channels > order.size()) {
            throw new FileFormatException(file + " has channels " + order + "; input " + spec.name() + " needs "
                    + channels);
        }
        return order.subList(0, channels);
    }

    public static void write(Tensor tensor, TensorSpec spec, Path file) {
        write(tensor, spec, file, ExrOutput.DEFAULTS);
    }

    /** Writes an image tensor with {@code settings}' sample type, compression and channel names. */
    public static void write(Tensor tensor, TensorSpec spec, Path file, ExrOutput settings) {
        requireImage(spec, file);
        long[] s = tensor.shape();
        int channels = (int) channelsOf(spec.layout(), s);
        boolean batched = spec.layout() == Layout.NCHW || spec.layout() == Layout.NHWC;
        boolean channelsFirst = spec.layout() == Layout.NCHW || spec.layout() == Layout.CHW;
        int o = batched ? 1 : 0;
        int height = (int) (channelsFirst ? s[o + 1] : s[o]);
        int width = (int) (channelsFirst ? s[o + 2] : s[o + 1]);
        List<String> names = settings.namesFor(channels);
        boolean half = tensor.type() == DataType.FP16;
        PixelType type = settings.typeFor(spec, tensor.type(), channels);
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(width, height));
        int pixels = width * height;
        boolean decode = srgb(spec);
        Range range = Range.of(spec);
        // HALF outputs are rounded here, in the bands, straight into 16-bit planes. A finite value HALF cannot hold
        // would be written as infinity, so the first one is found in the same pass and refused before a byte is written.
        boolean narrowing = type == PixelType.HALF;
        for (int c = 0; c < channels; c++) {
            float[] plane = narrowing ? null : new float[pixels];
            short[] bits = narrowing ? new short[pixels] : null;
            int channel = c;
            AtomicInteger firstBeyondHalf = new AtomicInteger(Integer.MAX_VALUE);
            Bands.run(height, (from, to) -> {
                FloatBuffer floats = half ? null : tensor.floats();
                ShortBuffer halves = half ? tensor.halfBits() : null;
                for (int i = from * width; i < to * width; i++) {
                    int index = channelsFirst ? channel * pixels + i : i * channels + channel;
                    float model = half ? Half.toFloat(halves.get(index)) : floats.get(index);
                    float value = narrowing ? fromModelForHalf(model, decode, range) : fromModel(model, decode, range);
                    if (!narrowing) {
                        plane[i] = value;
                    } else {
                        bits[i] = Half.fromFloat(value);
                        if (Math.abs(value) >= HALF_OVERFLOW && value != Float.POSITIVE_INFINITY
                                && value != Float.NEGATIVE_INFINITY) {
                            firstBeyondHalf.accumulateAndGet(i, Math::min);
                        }
                    }
                }
            });
            int beyond = firstBeyondHalf.get();
            if (beyond != Integer.MAX_VALUE && settings.pixelType().isEmpty()) {
                // HALF was only the plate's type, not asked for: FLOAT holds the value, so the file is written FLOAT.
                write(tensor, spec, file, settings.withType(PixelType.FLOAT));
                return;
            }
            if (beyond != Integer.MAX_VALUE) {
                int index = channelsFirst ? channel * pixels + beyond : beyond * channels + channel;
                float value = fromModel(half ? Half.toFloat(tensor.halfBits().get(index)) : tensor.floats().get(index),
                        decode, range);
                throw new FileFormatException("output " + spec.name() + " has the value " + value + " in channel "
                        + names.get(c) + " at pixel (" + beyond % width + ", " + beyond / width + "), beyond the range of"
                        + " EXR's HALF samples (-65504 to 65504); " + file + " was not written. Write FLOAT samples"
                        + " (--exr-type float), or check the model's output");
            }
            if (narrowing) {
                builder.halfChannel(names.get(c), bits);
            } else {
                builder.channel(names.get(c), type, plane);
            }
        }
        ExrWriter.write(builder.build(), file, settings.compressionFor(type));
    }

    private static float fromModel(float value, boolean decode, Range range) {
        double unit = range.fromModel(value);
        return (float) (decode ? SrgbCurve.decode(unit) : unit);
    }

    /** As {@link #fromModel}, for a value rounded to HALF next (the curve from {@link SrgbCurve#decodeForHalf}). */
    private static float fromModelForHalf(float value, boolean decode, Range range) {
        double unit = range.fromModel(value);
        return decode ? SrgbCurve.decodeForHalf((float) unit) : (float) unit;
    }

    /** Whether the manifest entry maps to an EXR plate: an FP32 or FP16 image layout. */
    static boolean isImage(TensorSpec spec) {
        Layout l = spec.layout();
        return (l == Layout.NCHW || l == Layout.NHWC || l == Layout.CHW || l == Layout.HWC)
                && (spec.datatype() == DataType.FP32 || spec.datatype() == DataType.FP16);
    }

    /**
     * The manifest's {@code valueRange}, applied after the colour transform as {@link ImageTensors} applies it to
     * an 8-bit file's normalized values; the identity for {@code [0, 1]} (or none), so plates pass bit for bit.
     */
    private record Range(double min, double max) {
        static Range of(TensorSpec spec) {
            return spec.valueRange().map(r -> new Range(r.min(), r.max())).orElse(new Range(0, 1));
        }

        double toModel(double unit) {
            return min == 0 && max == 1 ? unit : min + unit * (max - min);
        }

        double fromModel(double value) {
            return min == 0 && max == 1 ? value : (value - min) / (max - min);
        }
    }

    /** Whether the tensor is sRGB-encoded; an undeclared colour space means the plate's own, linear. */
    private static boolean srgb(TensorSpec spec) {
        String declared = spec.colorSpace().orElse(ColorSpace.LINEAR.jsonName());
        return ColorSpace.fromJson(declared).orElseThrow(() -> new FileFormatException("tensor " + spec.name()
                + " expects colour space " + declared + ", which Conduit cannot convert an EXR plate to; expected one of "
                + ColorSpace.jsonNames())) == ColorSpace.SRGB;
    }

    private static void requireImage(TensorSpec spec, Path file) {
        Layout l = spec.layout();
        if (l != Layout.NCHW && l != Layout.NHWC && l != Layout.CHW && l != Layout.HWC) {
            throw new FileFormatException(file + ": tensor " + spec.name() + " has layout " + l.jsonName()
                    + "; EXR files map to image tensors (NCHW, NHWC, CHW or HWC)");
        }
        if (spec.datatype() != DataType.FP32 && spec.datatype() != DataType.FP16) {
            throw new FileFormatException(file + ": tensor " + spec.name() + " is " + spec.datatype()
                    + "; EXR files map to FP32 or FP16 tensors");
        }
    }

    private static long channelsOf(Layout layout, long[] shape) {
        return switch (layout) {
            case NCHW -> shape[1];
            case NHWC -> shape[3];
            case CHW -> shape[0];
            default -> shape[2];
        };
    }

    private static long[] shape(Layout layout, int c, int h, int w) {
        return switch (layout) {
            case NCHW -> new long[]{1, c, h, w};
            case NHWC -> new long[]{1, h, w, c};
            case CHW -> new long[]{c, h, w};
            default -> new long[]{h, w, c};
        };
    }
}
