package io.conduit.core.io.exr;

import io.conduit.core.FileFormatException;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Converts between an {@link ExrImage} and an FP32 tensor of shape [H, W, C] (the data window,
 * channels interleaved). Channels go in the order {@code conduit convert} promises: R, G, B, A
 * first (those present), then every other channel by name, so "RGBA plus depth.Z" becomes five
 * channels with depth last whatever order the file listed them in.
 */
public final class ExrTensors {
    private static final List<String> COLOUR_FIRST = List.of("R", "G", "B", "A");

    private ExrTensors() {
    }

    /** The image's channel names in tensor order: R, G, B, A, then the rest alphabetically. */
    public static List<String> tensorOrder(ExrImage image) {
        return tensorOrder(image.channelNames());
    }

    public static List<String> tensorOrder(List<String> names) {
        List<String> ordered = new ArrayList<>();
        for (String colour : COLOUR_FIRST) {
            if (names.contains(colour)) {
                ordered.add(colour);
            }
        }
        names.stream().filter(n -> !COLOUR_FIRST.contains(n)).sorted(Comparator.naturalOrder()).forEach(ordered::add);
        return ordered;
    }

    /** An FP32 [H, W, C] tensor of the data window, channels in {@link #tensorOrder} (UINT converted to float). */
    public static Tensor toTensor(ExrImage image) {
        List<String> order = tensorOrder(image);
        int width = image.width();
        int height = image.height();
        int channels = order.size();
        long elements = (long) width * height * channels;
        if (elements * 4 > Integer.MAX_VALUE) {
            throw new FileFormatException("a " + width + "x" + height + "x" + channels
                    + " EXR image is larger than the 2 GiB one tensor can hold");
        }
        Tensor tensor = Tensor.allocate(DataType.FP32, height, width, channels);
        FloatBuffer out = tensor.floats();
        for (int c = 0; c < channels; c++) {
            Object plane = image.plane(order.get(c));
            int index = c;
            if (plane instanceof float[] values) {
                for (float value : values) {
                    out.put(index, value);
                    index += channels;
                }
            } else if (plane instanceof short[] bits) {
                for (short value : bits) {
                    out.put(index, Half.toFloat(value));
                    index += channels;
                }
            } else {
                for (int value : (int[]) plane) {
                    out.put(index, (float) Integer.toUnsignedLong(value));
                    index += channels;
                }
            }
        }
        return tensor;
    }

    /**
     * An image from an FP32 [H, W, C] tensor whose channels are named, in tensor order, by
     * {@code names}, all stored as {@code type} (HALF or FLOAT); both windows are (0,0)-(W-1,H-1).
     */
    public static ExrImage fromTensor(Tensor tensor, List<String> names, PixelType type) {
        long[] shape = tensor.shape();
        if (shape.length != 3) {
            throw new FileFormatException("an EXR image is written from a [H, W, C] tensor; got " + tensor);
        }
        ExrBox box = ExrBox.ofSize(Math.toIntExact(shape[1]), Math.toIntExact(shape[0]));
        return fromTensor(tensor, names, type, box, box);
    }

    /** As {@link #fromTensor(Tensor, List, PixelType)}, placing the pixels at {@code dataWindow}. */
    public static ExrImage fromTensor(Tensor tensor, List<String> names, PixelType type, ExrBox dataWindow,
                                      ExrBox displayWindow) {
        long[] shape = tensor.shape();
        if (tensor.type() != DataType.FP32 || shape.length != 3) {
            throw new FileFormatException("an EXR image is written from an FP32 [H, W, C] tensor; got " + tensor);
        }
        if (shape[0] != dataWindow.height() || shape[1] != dataWindow.width() || shape[2] != names.size()) {
            throw new FileFormatException("tensor " + tensor + " does not match data window " + dataWindow + " ("
                    + dataWindow.width() + "x" + dataWindow.height() + ") with channels " + names);
        }
        if (type == PixelType.UINT) {
            throw new FileFormatException("tensor channels are written as HALF or FLOAT, not UINT");
        }
        int channels = names.size();
        int pixels = dataWindow.width() * dataWindow.height();
        FloatBuffer in = tensor.floats();
        ExrImage.Builder builder = ExrImage.builder(dataWindow).displayWindow(displayWindow);
        for (int c = 0; c < channels; c++) {
            float[] plane = new float[pixels];
            for (int i = 0, index = c; i < pixels; i++, index += channels) {
                plane[i] = in.get(index);
            }
            builder.channel(names.get(c), type, plane);
        }
        return builder.build();
    }

    /** Names for a C-channel tensor without names of its own: Y, (Y, A), (R, G, B) or (R, G, B, A). */
    public static List<String> defaultNames(int channels) {
        return switch (channels) {
            case 1 -> List.of("Y");
            case 2 -> List.of("Y", "A");
            case 3 -> List.of("R", "G", "B");
            case 4 -> List.of("R", "G", "B", "A");
            default -> throw new FileFormatException("a " + channels + "-channel tensor needs channel names to become"
                    + " an EXR image; only 1 to 4 channels have default names");
        };
    }
}
