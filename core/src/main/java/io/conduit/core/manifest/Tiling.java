package io.conduit.core.manifest;

/**
 * How to cut a plate larger than a model accepts (or than memory allows) into tiles: square tiles of
 * {@code tileSize} pixels that share {@code overlap} pixels with their neighbours, where the two
 * results are blended so no seam shows. The overlap should cover the model's receptive field.
 */
public record Tiling(int tileSize, int overlap) {
    public static final int MIN_TILE = 16;

    public Tiling {
        if (tileSize < MIN_TILE) {
            throw new IllegalArgumentException("tileSize " + tileSize + " is below " + MIN_TILE);
        }
        if (overlap < 0 || 2 * overlap >= tileSize) {
            throw new IllegalArgumentException("overlap " + overlap + " must be at least 0 and under half the tile ("
                    + tileSize + ")");
        }
    }
}
