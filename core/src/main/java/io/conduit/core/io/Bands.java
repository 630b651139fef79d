package io.conduit.core.io;

import java.util.stream.IntStream;

/**
 * Splits a per-pixel loop over an image's rows into bands run on every core (the common fork-join
 * pool), for conversions that cost a table look-up or more a value, such as the sRGB curve over a 2K plate's
 * 6.6 million samples. Each band touches only its own rows, so no two threads write the same element.
 */
final class Bands {
    /** Rows per band: small enough to share among cores, large enough that scheduling costs nothing. */
    private static final int ROWS = 64;

    private Bands() {
    }

    /** Work on rows {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface RowWork {
        void run(int from, int to);
    }

    static void run(int height, RowWork work) {
        int bands = (height + ROWS - 1) / ROWS;
        if (bands <= 1) {
            work.run(0, height);
            return;
        }
        IntStream.range(0, bands).parallel().forEach(b -> work.run(b * ROWS, Math.min(height, (b + 1) * ROWS)));
    }
}
