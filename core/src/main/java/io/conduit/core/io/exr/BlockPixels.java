package io.conduit.core.io.exr;

import io.conduit.core.tensor.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Copies one chunk's raw bytes (per scanline, per channel, little-endian samples) into the image's
 * planes, and back. HALF samples become floats on the way in and are rounded to nearest-even on
 * the way out.
 */
final class BlockPixels {
    private BlockPixels() {
    }

    /** Fills {@code planes} (float[] or int[], in channel order) from one decoded chunk. */
    static void scatter(byte[] raw, Block block, List<ExrChannel> channels, Object[] planes, ExrBox window) {
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int stride = window.width();
        for (int line = 0; line < block.height(); line++) {
            int rowStart = (block.y() - window.yMin() + line) * stride + (block.x() - window.xMin());
            for (int c = 0; c < channels.size(); c++) {
                PixelType type = channels.get(c).type();
                if (type == PixelType.UINT) {
                    int[] plane = (int[]) planes[c];
                    for (int x = 0; x < block.width(); x++) {
                        plane[rowStart + x] = in.getInt();
                    }
                } else {
                    float[] plane = (float[]) planes[c];
                    boolean half = type == PixelType.HALF;
                    for (int x = 0; x < block.width(); x++) {
                        plane[rowStart + x] = half ? Half.toFloat(in.getShort()) : in.getFloat();
                    }
                }
            }
        }
    }

    /** Writes one chunk's raw bytes into {@code raw} from {@code planes}; returns the byte count. */
    static int gather(byte[] raw, Block block, List<ExrChannel> channels, Object[] planes, ExrBox window) {
        ByteBuffer out = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int stride = window.width();
        for (int line = 0; line < block.height(); line++) {
            int rowStart = (block.y() - window.yMin() + line) * stride + (block.x() - window.xMin());
            for (int c = 0; c < channels.size(); c++) {
                PixelType type = channels.get(c).type();
                for (int x = 0; x < block.width(); x++) {
                    switch (type) {
                        case UINT -> out.putInt(((int[]) planes[c])[rowStart + x]);
                        case HALF -> out.putShort(Half.fromFloat(((float[]) planes[c])[rowStart + x]));
                        case FLOAT -> out.putFloat(((float[]) planes[c])[rowStart + x]);
                    }
                }
            }
        }
        return out.position();
    }
}
