package io.conduit.core.engine.tiling;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Layout;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;

/**
 * One image tensor seen as channels × rows × columns, whatever its layout (NCHW, NHWC, CHW or HWC,
 * batch of one) and element type (FP32 or FP16): reads and writes single values by (channel, row,
 * column) so the tiler never cares how the bytes are laid out.
 */
final class PlateView {
    final Tensor tensor;
    final int channels;
    final int height;
    final int width;
    private final boolean channelsFirst;
    private final boolean half;
    private final java.nio.FloatBuffer floats;
    private final java.nio.ShortBuffer halves;

    private PlateView(Tensor tensor, boolean channelsFirst, int channels, int height, int width) {
        this.tensor = tensor;
        this.channelsFirst = channelsFirst;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.half = tensor.type() == DataType.FP16;
        this.floats = half ? null : tensor.floats(); // one view, kept: a view per pixel would be garbage per pixel
        this.halves = half ? tensor.halfBits() : null;
    }

    /** Whether tiles can be cut from tensors of this layout. */
    static boolean tileable(Layout layout) {
        return layout == Layout.NCHW || layout == Layout.NHWC || layout == Layout.CHW || layout == Layout.HWC;
    }

    static PlateView of(Tensor tensor, Layout layout, String name) {
        if (tensor.type() != DataType.FP32 && tensor.type() != DataType.FP16) {
            throw new ConduitException(ErrorCode.INPUT_INVALID, name + " is " + tensor.type() + "; tiled inference takes"
                    + " FP32 or FP16 images");
        }
        long[] s = tensor.shape();
        boolean batched = layout == Layout.NCHW || layout == Layout.NHWC;
        if (s.length != (batched ? 4 : 3) || (batched && s[0] != 1)) {
            throw new ConduitException(ErrorCode.INPUT_INVALID, name + " has shape " + java.util.Arrays.toString(s)
                    + "; tiled inference takes one " + layout + " image" + (batched ? " (batch of 1)" : ""));
        }
        int o = batched ? 1 : 0;
        boolean channelsFirst = layout == Layout.NCHW || layout == Layout.CHW;
        return channelsFirst ? new PlateView(tensor, true, (int) s[o], (int) s[o + 1], (int) s[o + 2])
                : new PlateView(tensor, false, (int) s[o + 2], (int) s[o], (int) s[o + 1]);
    }

    /** A new tensor of this one's layout and type for {@code channels} × {@code height} × {@code width}. */
    static long[] shapeLike(Layout layout, int channels, int height, int width) {
        return switch (layout) {
            case NCHW -> new long[]{1, channels, height, width};
            case NHWC -> new long[]{1, height, width, channels};
            case CHW -> new long[]{channels, height, width};
            default -> new long[]{height, width, channels};
        };
    }

    private int index(int c, int y, int x) {
        return channelsFirst ? (c * height + y) * width + x : (y * width + x) * channels + c;
    }

    float get(int c, int y, int x) {
        int i = index(c, y, x);
        return half ? Half.toFloat(halves.get(i)) : floats.get(i);
    }

    void set(int c, int y, int x, float value) {
        int i = index(c, y, x);
        if (half) {
            halves.put(i, Half.fromFloat(value));
        } else {
            floats.put(i, value);
        }
    }
}
