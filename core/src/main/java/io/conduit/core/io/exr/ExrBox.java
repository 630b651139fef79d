package io.conduit.core.io.exr;

/**
 * An inclusive pixel rectangle, as OpenEXR's {@code box2i} stores it. EXR images carry two: the
 * data window (the pixels the file holds) and the display window (the frame the image belongs to),
 * and they may differ, e.g. an overscan render or a crop. Both are kept so that a round trip
 * through Conduit puts the pixels back where they were.
 */
public record ExrBox(int xMin, int yMin, int xMax, int yMax) {
    public ExrBox {
        if (xMax < xMin || yMax < yMin) {
            throw new IllegalArgumentException("an EXR box needs xMax >= xMin and yMax >= yMin, got " + describe(xMin, yMin, xMax, yMax));
        }
        if ((long) xMax - xMin + 1 > Integer.MAX_VALUE || (long) yMax - yMin + 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an EXR box may be at most 2^31-1 pixels wide and high, got "
                    + describe(xMin, yMin, xMax, yMax));
        }
    }

    /** The box of a {@code width} x {@code height} image whose first pixel is (0, 0). */
    public static ExrBox ofSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an EXR image needs at least 1x1 pixels, got " + width + "x" + height);
        }
        return new ExrBox(0, 0, width - 1, height - 1);
    }

    public int width() {
        return xMax - xMin + 1;
    }

    public int height() {
        return yMax - yMin + 1;
    }

    @Override
    public String toString() {
        return describe(xMin, yMin, xMax, yMax);
    }

    static String describe(long xMin, long yMin, long xMax, long yMax) {
        return "(" + xMin + "," + yMin + ")-(" + xMax + "," + yMax + ")";
    }
}
