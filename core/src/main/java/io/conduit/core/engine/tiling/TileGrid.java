package io.conduit.core.engine.tiling;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of one axis go: windows of {@code tile} pixels covering {@code size} pixels, each
 * overlapping the next by at least {@code overlap} (the last one moved back to end at the edge), and
 * the blend weight of every pixel of a window. A window's raw weight ramps up across {@code overlap}
 * pixels from each inner edge (never at the plate's own edges); the weights are then divided by
 * their sum at each pixel, so the windows covering any pixel add up to exactly one. Because a tile's
 * weight is the product of its two axes' weights, summing weighted tiles needs no normalising pass
 * and no plate-sized buffer of weight sums.
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
        float[][] raw = new float[starts.size()][this.tile];
        float[] sums = new float[size];
        for (int i = 0; i < starts.size(); i++) {
            int start = starts.get(i);
            for (int offset = 0; offset < this.tile; offset++) {
                float w = 1f;
                if (start > 0 && overlap > 0) {
                    w = Math.min(w, (offset + 0.5f) / overlap);
                }
                if (start + this.tile < size && overlap > 0) {
                    w = Math.min(w, (this.tile - offset - 0.5f) / overlap);
                }
                raw[i][offset] = w;
                sums[start + offset] += w;
            }
        }
        for (int i = 0; i < starts.size(); i++) {
            for (int offset = 0; offset < this.tile; offset++) {
                raw[i][offset] /= sums[starts.get(i) + offset];
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
