package io.conduit.core.manifest;

/**
 * How to cut a plate larger than a model accepts (or than memory allows) into tiles: square tiles of
 * {@code tileSize} pixels that share {@code overlap} pixels with their neighbours. Each tile's result is
 * kept only from {@code overlap / 2} pixels inside its inner edges, where its padding cannot reach, so a
 * model whose receptive radius (how far an output pixel sees) is at most {@code overlap / 2} gives the
 * whole plate's result tiled.
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
