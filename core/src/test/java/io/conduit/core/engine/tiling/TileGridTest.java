package io.conduit.core.engine.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TileGridTest {
    @ParameterizedTest
    @CsvSource({"100, 64, 16", "113, 64, 16", "130, 64, 16", "7680, 512, 32", "64, 64, 8", "40, 64, 8", "200, 32, 0",
            "129, 64, 31"})
    void windowsCoverTheAxisOverlapByAtLeastTheOverlapAndWeightsSumToOne(int size, int tile, int overlap) {
        TileGrid grid = new TileGrid(size, tile, overlap);
        assertEquals(0, grid.start(0));
        assertEquals(size, grid.start(grid.count() - 1) + grid.length(), "the last window ends at the edge");
        for (int i = 1; i < grid.count(); i++) {
            assertTrue(grid.start(i - 1) + grid.length() - grid.start(i) >= overlap, "window " + i + " overlaps enough");
        }
        double[] sums = new double[size];
        for (int i = 0; i < grid.count(); i++) {
            for (int offset = 0; offset < grid.length(); offset++) {
                float w = grid.weight(i, offset);
                assertTrue(w >= 0f && w <= 1f, "weight " + w);
                sums[grid.start(i) + offset] += w;
            }
        }
        for (int p = 0; p < size; p++) {
            assertEquals(1.0, sums[p], 1e-6, "pixel " + p);
        }
    }

    /** A window's pixels within half the overlap of an edge the plate does not have saw padding: weight zero. */
    @ParameterizedTest
    @CsvSource({"150, 64, 16", "221, 64, 16", "129, 64, 31", "7680, 512, 32"})
    void pixelsNearAnInnerEdgeGetNoWeightAndThoseNearThePlatesEdgeDo(int size, int tile, int overlap) {
        TileGrid grid = new TileGrid(size, tile, overlap);
        int margin = overlap / 2;
        for (int i = 0; i < grid.count(); i++) {
            for (int offset = 0; offset < grid.length(); offset++) {
                int pixel = grid.start(i) + offset;
                boolean nearInnerEdge = (grid.start(i) > 0 && offset < margin)
                        || (grid.start(i) + grid.length() < size && offset >= grid.length() - margin);
                if (nearInnerEdge) {
                    assertEquals(0f, grid.weight(i, offset), "window " + i + " pixel " + pixel);
                }
            }
        }
        assertTrue(grid.weight(0, 0) > 0f, "the plate's first pixel is weighted");
        assertTrue(grid.weight(grid.count() - 1, grid.length() - 1) > 0f, "the plate's last pixel is weighted");
    }
}
