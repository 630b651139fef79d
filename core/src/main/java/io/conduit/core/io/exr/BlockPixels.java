package io.conduit.core.io.exr;

import io.conduit.core.tensor.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Copies one chunk's raw bytes (per scanline, per channel, little-endian samples) into the image's
 * planes, and back, a row of a channel at a time in bulk. HALF samples are kept as their bits on the way
 * in; on the way out, HALF planes given as floats are rounded to nearest-even.
 */
final class BlockPixels {
    private BlockPixels() {
    }

    /** Fills {@code planes} (float[] for FLOAT, short[] for HALF bits, int[] for UINT, in channel order) from one decoded chunk. */
    static void scatter(byte[] raw, Block block, List<ExrChannel> channels, Object[] planes, ExrBox window) {
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int stride = window.width();
        int width = block.width();
        for (int line = 0; line < block.height(); line++) {
            int rowStart = (block.y() - window.yMin() + line) * stride + (block.x() - window.xMin());
            for (int c = 0; c < channels.size(); c++) {
                switch (channels.get(c).type()) {
                    case UINT -> in.asIntBuffer().get((int[]) planes[c], rowStart, width);
                    case HALF -> in.asShortBuffer().get((short[]) planes[c], rowStart, width);
                    case FLOAT -> in.asFloatBuffer().get((float[]) planes[c], rowStart, width);
                }
                in.position(in.position() + width * channels.get(c).type().byteSize());
            }
        }
    }

    /** Writes one chunk's raw bytes into {@code raw} from {@code planes}; returns the byte count. */
    static int gather(byte[] raw, Block block, List<ExrChannel> channels, Object[] planes, ExrBox window) {
        ByteBuffer out = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int stride = window.width();
        int width = block.width();
        for (int line = 0; line < block.height(); line++) {
            int rowStart = (block.y() - window.yMin() + line) * stride + (block.x() - window.xMin());
            for (int c = 0; c < channels.size(); c++) {
                Object plane = planes[c];
                switch (channels.get(c).type()) {
                    case UINT -> out.asIntBuffer().put((int[]) plane, rowStart, width);
                    case FLOAT -> out.asFloatBuffer().put((float[]) plane, rowStart, width);
                    case HALF -> {
                        if (plane instanceof short[] bits) {
                            out.asShortBuffer().put(bits, rowStart, width);
                        } else {
                            float[] values = (float[]) plane;
                            int at = out.position();
                            for (int x = 0; x < width; x++) {
                                out.putShort(at + 2 * x, Half.fromFloat(values[rowStart + x]));
                            }
                        }
                    }
                }
                out.position(out.position() + width * channels.get(c).type().byteSize());
            }
        }
        return out.position();
    }
}
