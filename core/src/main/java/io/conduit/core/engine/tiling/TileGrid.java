package io.conduit.core.engine.tiling;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of one axis go: windows of {@code tile} pixels covering {@code size} pixels, each
 * overlapping the next by at least {@code overlap} (the last one moved back to end at the plate's edge,
 * never padded out past it), and the blend weight of every pixel of a window.
 *
 * <p>A window's {@code overlap / 2} pixels nearest an inner edge (one the plate does not have) get zero
 * weight: a zero-padded convolution computes those pixels against padding the whole plate would not have,
 * so they are wrong by an amount that depends on the model. Every other pixel of a window gets weight one,
 * and weights are divided by their sum at each pixel, so the windows covering a pixel add up to exactly
 * one. Neighbouring windows' weighted parts meet in the middle of their overlap; a model whose receptive
 * radius is at most {@code overlap / 2} therefore gives the whole plate's result, because every weighted
 * pixel saw exactly the input it would have seen in the whole plate. Because a tile's weight is the
 * product of its two axes' weights, summing weighted tiles needs no normalising pass and no plate-sized
 * buffer of weight sums.
 */
final class TileGrid {
    private final int size;
    private final int tile;
    private final List<Integer> starts = new ArrayList<>();
    private final float[][] weights;

    TileGrid(int size, int tile, int overlap) {
        this.size = size;
        this.tile = Math.min(tile, size);
        if (size <= tile) {
            starts.add(0);
        } else {
            int step = tile - overlap;
            for (int start = 0; ; start += step) {
                if (start + tile >= size) {
                    starts.add(size - tile);
                    break;
                }
                starts.add(start);
            }
        }
        int margin = size <= tile ? 0 : overlap / 2;
        float[][] raw = new float[starts.size()][this.tile];
        float[] sums = new float[size];
        for (int i = 0; i < starts.size(); i++) {
            int start = starts.get(i);
            int from = start > 0 ? margin : 0;
            int to = start + this.tile < size ? this.tile - margin : this.tile;
            for (int offset = from; offset < to; offset++) {
                raw[i][offset] = 1f;
                sums[start + offset] += 1f;
            }
        }
        for (int i = 0; i < starts.size(); i++) {
            for (int offset = 0; offset < this.tile; offset++) {
                if (raw[i][offset] > 0f) {
                    raw[i][offset] /= sums[starts.get(i) + offset];
                }
            }
        }
        this.weights = raw;
    }

    int count() {
        return starts.size();
    }

    int start(int index) {
        return starts.get(index);
    }

    /** The window length: the tile, or the whole axis when it is smaller. */
    int length() {
        return tile;
    }

    int size() {
        return size;
    }

    /** The blend weight of pixel {@code offset} of window {@code index}; weights at a pixel sum to one. */
    float weight(int index, int offset) {
        return weights[index][offset];
    }
}
