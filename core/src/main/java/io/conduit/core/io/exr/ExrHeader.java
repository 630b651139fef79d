package io.conduit.core.io.exr;

import java.util.List;

/**
 * What the reader needs from a single-part EXR header, already validated: the channels in file
 * order, the compression, both windows, the line order and, for tiled files, the tile size.
 * {@code tileWidth == 0} marks a scanline file. {@code tableStart} is where the offset table begins.
 */
record ExrHeader(List<ExrChannel> channels, ExrCompression compression, ExrBox dataWindow, ExrBox displayWindow,
                 int lineOrder, int tileWidth, int tileHeight, long tableStart) {

    static final int INCREASING_Y = 0;
    static final int DECREASING_Y = 1;
    static final int RANDOM_Y = 2;

    boolean tiled() {
        return tileWidth > 0;
    }

    /** Bytes one pixel takes over all channels. */
    int bytesPerPixel() {
        int sum = 0;
        for (ExrChannel channel : channels) {
            sum += channel.type().byteSize();
        }
        return sum;
    }
}
