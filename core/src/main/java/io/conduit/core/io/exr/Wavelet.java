package io.conduit.core.io.exr;

/**
 * PIZ's lossless 2D Haar wavelet over 16-bit values, in place. It works on a strided view of a
 * short array ({@code nx} by {@code ny} values, {@code ox} apart along x and {@code oy} along y)
 * because PIZ transforms each 16-bit word of a 32-bit sample as its own plane. When every value
 * is below 2^14 the plain (14-bit) transform cannot overflow; otherwise a modular 16-bit variant
 * is used. Both must match OpenEXR's bit for bit.
 */
final class Wavelet {
    private static final int A_OFFSET = 1 << 15;
    private static final int M_OFFSET = 1 << 15;
    private static final int MOD_MASK = (1 << 16) - 1;

    private Wavelet() {
    }

    static void encode(short[] buf, int base, int nx, int ox, int ny, int oy, int maxValue) {
        boolean w14 = maxValue < (1 << 14);
        int n = Math.min(nx, ny);
        int p = 1;
        int p2 = 2;
        short[] pair = new short[2];
        while (p2 <= n) {
            int py = base;
            int ey = base + oy * (ny - p2);
            int oy1 = oy * p;
            int oy2 = oy * p2;
            int ox1 = ox * p;
            int ox2 = ox * p2;
            for (; py <= ey; py += oy2) {
                int px = py;
                int ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2) {
                    int p01 = px + ox1;
                    int p10 = px + oy1;
                    int p11 = p10 + ox1;
                    enc(w14, buf[px], buf[p01], pair);
                    short i00 = pair[0];
                    short i01 = pair[1];
                    enc(w14, buf[p10], buf[p11], pair);
                    short i10 = pair[0];
                    short i11 = pair[1];
                    enc(w14, i00, i10, pair);
                    buf[px] = pair[0];
                    buf[p10] = pair[1];
                    enc(w14, i01, i11, pair);
                    buf[p01] = pair[0];
                    buf[p11] = pair[1];
                }
                if ((nx & p) != 0) {
                    int p10 = px + oy1;
                    enc(w14, buf[px], buf[p10], pair);
                    buf[px] = pair[0];
                    buf[p10] = pair[1];
                }
            }
            if ((ny & p) != 0) {
                int px = py;
                int ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2) {
                    int p01 = px + ox1;
                    enc(w14, buf[px], buf[p01], pair);
                    buf[px] = pair[0];
                    buf[p01] = pair[1];
                }
            }
            p = p2;
            p2 <<= 1;
        }
    }

    static void decode(short[] buf, int base, int nx, int ox, int ny, int oy, int maxValue) {
        boolean w14 = maxValue < (1 << 14);
        int n = Math.min(nx, ny);
        int p = 1;
        while (p <= n) {
            p <<= 1;
        }
        p >>= 1;
        int p2 = p;
        p >>= 1;
        short[] pair = new short[2];
        while (p >= 1) {
            int py = base;
            int ey = base + oy * (ny - p2);
            int oy1 = oy * p;
            int oy2 = oy * p2;
            int ox1 = ox * p;
            int ox2 = ox * p2;
            for (; py <= ey; py += oy2) {
                int px = py;
                int ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2) {
                    int p01 = px + ox1;
                    int p10 = px + oy1;
                    int p11 = p10 + ox1;
                    dec(w14, buf[px], buf[p10], pair);
                    short i00 = pair[0];
                    short i10 = pair[1];
                    dec(w14, buf[p01], buf[p11], pair);
                    short i01 = pair[0];
                    short i11 = pair[1];
                    dec(w14, i00, i01, pair);
                    buf[px] = pair[0];
                    buf[p01] = pair[1];
                    dec(w14, i10, i11, pair);
                    buf[p10] = pair[0];
                    buf[p11] = pair[1];
                }
                if ((nx & p) != 0) {
                    int p10 = px + oy1;
                    dec(w14, buf[px], buf[p10], pair);
                    buf[px] = pair[0];
                    buf[p10] = pair[1];
                }
            }
            if ((ny & p) != 0) {
                int px = py;
                int ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2) {
                    int p01 = px + ox1;
                    dec(w14, buf[px], buf[p01], pair);
                    buf[px] = pair[0];
                    buf[p01] = pair[1];
                }
            }
            p2 = p;
            p >>= 1;
        }
    }

    /** (a, b) to (low, high) = (mean, difference). */
    private static void enc(boolean w14, short a, short b, short[] lh) {
        if (w14) {
            lh[0] = (short) ((a + b) >> 1);
            lh[1] = (short) (a - b);
        } else {
            int ao = ((a & 0xffff) + A_OFFSET) & MOD_MASK;
            int bu = b & 0xffff;
            int m = (ao + bu) >> 1;
            int d = ao - bu;
            if (d < 0) {
                m = (m + M_OFFSET) & MOD_MASK;
            }
            lh[0] = (short) m;
            lh[1] = (short) (d & MOD_MASK);
        }
    }

    /** (low, high) back to (a, b). */
    private static void dec(boolean w14, short l, short h, short[] ab) {
        if (w14) {
            int hi = h;
            int ai = l + (hi & 1) + (hi >> 1);
            ab[0] = (short) ai;
            ab[1] = (short) (ai - hi);
        } else {
            int m = l & 0xffff;
            int d = h & 0xffff;
            int bb = (m - (d >> 1)) & MOD_MASK;
            int aa = (d + bb - A_OFFSET) & MOD_MASK;
            ab[0] = (short) aa;
            ab[1] = (short) bb;
        }
    }
}
