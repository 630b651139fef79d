package io.conduit.core.io.exr;

import java.nio.ByteBuffer;

/**
 * How an image's data window is cut into chunks, in offset-table order: bands of scanlines, or
 * tiles row by row. Both readers and the writer go through it so that the two agree on which
 * pixels chunk {@code i} holds, including the partial band or tile at the image's edges.
 */
final class ChunkLayout {
    private final ExrBox window;
    private final int chunkWidth;
    private final int chunkHeight;
    private final boolean tiled;
    private final long tilesAcross;
    private final long count;

    private ChunkLayout(ExrBox window, int chunkWidth, int chunkHeight, boolean tiled) {
        this.window = window;
        this.chunkWidth = chunkWidth;
        this.chunkHeight = chunkHeight;
        this.tiled = tiled;
        this.tilesAcross = ceilDiv(window.width(), chunkWidth);
        this.count = tilesAcross * ceilDiv(window.height(), chunkHeight);
    }

    static ChunkLayout scanlines(ExrBox window, int linesPerChunk) {
        return new ChunkLayout(window, window.width(), linesPerChunk, false);
    }

    static ChunkLayout tiles(ExrBox window, int tileWidth, int tileHeight) {
        return new ChunkLayout(window, tileWidth, tileHeight, true);
    }

    static ChunkLayout of(ExrHeader header) {
        return header.tiled() ? tiles(header.dataWindow(), header.tileWidth(), header.tileHeight())
                : scanlines(header.dataWindow(), header.compression().linesPerChunk());
    }

    /** Number of chunks, as a long: a damaged header may promise more than an int holds. */
    long count() {
        return count;
    }

    /** Bytes before the pixel data of each chunk: y and size, or tile x, y, level x, y and size. */
    int chunkHeaderSize() {
        return tiled ? 20 : 8;
    }

    /** The largest raw (uncompressed) chunk, in bytes, for {@code bytesPerPixel}. */
    long maxRawBytes(int bytesPerPixel) {
        return (long) Math.min(chunkWidth, window.width()) * Math.min(chunkHeight, window.height()) * bytesPerPixel;
    }

    Block block(int index) {
        long column = index % tilesAcross;
        long row = index / tilesAcross;
        long x = window.xMin() + column * chunkWidth;
        long y = window.yMin() + row * chunkHeight;
        int width = (int) Math.min(chunkWidth, window.xMax() - x + 1);
        int height = (int) Math.min(chunkHeight, window.yMax() - y + 1);
        return new Block((int) x, (int) y, width, height);
    }

    /** Names chunk {@code index} the way a user can find it with exrheader or a hex dump. */
    String describe(int index) {
        if (tiled) {
            return "tile (" + index % tilesAcross + ", " + index / tilesAcross + ")";
        }
        return "scanline chunk " + index + " (y = " + block(index).y() + ")";
    }

    /** Why the chunk header in {@code header} does not belong to chunk {@code index}, or null if it does. */
    String mismatch(ByteBuffer header, int index) {
        if (tiled) {
            int tx = header.getInt(0);
            int ty = header.getInt(4);
            int lx = header.getInt(8);
            int ly = header.getInt(12);
            if (tx != index % tilesAcross || ty != index / tilesAcross || lx != 0 || ly != 0) {
                return "its header names tile (" + tx + ", " + ty + ") level (" + lx + ", " + ly + ")";
            }
            return null;
        }
        int y = header.getInt(0);
        return y == block(index).y() ? null : "its header names y = " + y;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
