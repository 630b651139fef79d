package io.conduit.core.io.exr;

import io.conduit.core.tensor.Half;
import java.nio.file.Path;

/**
 * The deterministic images behind the committed fixtures: tests compare decoded files against
 * these formulas bit for bit. {@code main} writes them uncompressed for make_exr_fixtures.sh,
 * which has oiiotool recompress them with every compression.
 */
final class ExrTestImages {
    /** Odd sizes and a shifted data window, so chunks and tiles end part-way and windows differ. */
    static final ExrBox DATA_WINDOW = new ExrBox(3, -2, 39, 20);
    static final ExrBox DISPLAY_WINDOW = new ExrBox(0, 0, 47, 31);

    private ExrTestImages() {
    }

    /** 37x23: R, G, B, A as HALF, depth.Z as FLOAT, id as UINT. */
    static ExrImage source() {
        int w = DATA_WINDOW.width();
        int h = DATA_WINDOW.height();
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        float[] a = new float[w * h];
        float[] z = new float[w * h];
        int[] id = new int[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int p = j * w + i;
                r[p] = i * 0.25f - j * 0.125f;
                // Mostly smooth, with a little noise and a few wild values: every codec must then
                // really compress (a chunk that would not shrink is stored raw, bypassing the codec).
                g[p] = (i + j) % 13 == 0 ? Half.toFloat(finiteHalf(hash(i, j, 1))) : 1f + (hash(i, j, 1) & 0x7) / 64f;
                b[p] = i < w / 2 ? 0.5f : 0f;
                a[p] = (i + j) % 11 == 0 ? 0f : 1f;
                z[p] = (i * j) % 17 == 3 ? finiteFloat(hash(i, j, 2)) : i * 1.5f + j;
                // Object ids: constant patches. Below 2^24 because oiiotool passes UINT through float.
                id[p] = hash(i / 4, j / 4, 3) & 0xffffff;
            }
        }
        return ExrImage.builder(DATA_WINDOW).displayWindow(DISPLAY_WINDOW)
                .channel("R", PixelType.HALF, r).channel("G", PixelType.HALF, g).channel("B", PixelType.HALF, b)
                .channel("A", PixelType.HALF, a).channel("depth.Z", PixelType.FLOAT, z).uintChannel("id", id)
                .build();
    }

    /**
     * Like {@link #source()} but every 16-bit word lies in 0x3400..0x3fff (or is 0). PIZ stores a
     * bitmap of the words present, up to 8 KiB; with wild values a 16x16 tile never shrinks and
     * is stored raw, so tiled PIZ needs this tame image to be exercised at all.
     */
    static ExrImage smooth() {
        int w = DATA_WINDOW.width();
        int h = DATA_WINDOW.height();
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        float[] a = new float[w * h];
        float[] z = new float[w * h];
        int[] id = new int[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int p = j * w + i;
                r[p] = 0.25f + i / 64f + j / 128f;
                g[p] = 1f + (hash(i, j, 1) & 0x7) / 64f;
                b[p] = i < w / 2 ? 0.5f : 0.25f;
                a[p] = (i + j) % 11 == 0 ? 0f : 1f;
                z[p] = 0.5f + i / 64f + j / 128f;
                id[p] = 0x3c00 + i / 4 + 16 * (j / 4);
            }
        }
        return ExrImage.builder(DATA_WINDOW).displayWindow(DISPLAY_WINDOW)
                .channel("R", PixelType.HALF, r).channel("G", PixelType.HALF, g).channel("B", PixelType.HALF, b)
                .channel("A", PixelType.HALF, a).channel("depth.Z", PixelType.FLOAT, z).uintChannel("id", id)
                .build();
    }

    /**
     * 128x40 of five FLOAT channels whose low 16-bit words all differ within a 32-line chunk: a
     * PIZ chunk then holds more than 2^14 distinct words, which switches PIZ's wavelet to its
     * 16-bit variant, while the constant high words still let PIZ shrink the chunk (a chunk
     * that does not shrink is stored raw and would not exercise PIZ at all).
     */
    static ExrImage wide() {
        int w = 128;
        int h = 40;
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(w, h));
        for (int c = 0; c < 5; c++) {
            float[] plane = new float[w * h];
            for (int p = 0; p < plane.length; p++) {
                plane[p] = Float.intBitsToFloat((0x3f80 + c) << 16 | ((p + c * 8192) & 0xffff));
            }
            builder.channel("C" + c, PixelType.FLOAT, plane);
        }
        return builder.build();
    }

    static int hash(int x, int y, int salt) {
        int v = x * 0x9E3779B1 ^ y * 0x85EBCA77 ^ salt * 0xC2B2AE3D;
        v ^= v >>> 15;
        v *= 0x2C1B3C6D;
        v ^= v >>> 12;
        v *= 0x297A2D39;
        return v ^ (v >>> 15);
    }

    /** Any half bit pattern except infinities and NaNs. */
    static short finiteHalf(int bits) {
        int exponent = ((bits >>> 10) & 0x1f) % 31;
        return (short) ((bits & 0x8000) | exponent << 10 | (bits & 0x3ff));
    }

    /** Any float bit pattern except infinities and NaNs. */
    static float finiteFloat(int bits) {
        int exponent = ((bits >>> 23) & 0xff) % 255;
        return Float.intBitsToFloat((bits & 0x807fffff) | exponent << 23);
    }

    /** Writes source.exr, smooth.exr and wide.exr into the folder given, uncompressed. */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        ExrWriter.write(source(), dir.resolve("source.exr"), ExrCompression.NONE);
        ExrWriter.write(smooth(), dir.resolve("smooth.exr"), ExrCompression.NONE);
        ExrWriter.write(wide(), dir.resolve("wide.exr"), ExrCompression.NONE);
    }
}
