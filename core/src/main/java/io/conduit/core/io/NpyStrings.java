package io.conduit.core.io;

import io.conduit.core.FileFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * numpy's fixed-width unicode arrays ({@code <U}n): every element n UTF-32 code units, little-endian,
 * the shorter ones padded with NULs, which numpy drops on reading, as this class does. Conduit's
 * strings are read from and written to {@code .npy} files this way; the width written is the longest
 * element's (at least 1, as numpy's own {@code str} arrays).
 */
final class NpyStrings {
    private NpyStrings() {
    }

    /** The width, in code points, that holds every one of {@code strings}. */
    static int width(String[] strings) {
        int widest = 1;
        for (String s : strings) {
            widest = Math.max(widest, s.codePointCount(0, s.length()));
        }
        return widest;
    }

    static ByteBuffer encode(String[] strings) {
        int width = width(strings);
        long bytes = 4L * width * strings.length;
        if (bytes > Integer.MAX_VALUE) {
            throw new FileFormatException("these " + strings.length + " strings take " + bytes
                    + " bytes as fixed-width unicode; one .npy tensor may hold at most 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : strings) {
            int start = out.position();
            s.codePoints().forEach(out::putInt);
            out.position(start + 4 * width); // the rest stays zero: numpy's padding
        }
        return out.flip();
    }

    /** The {@code count} elements of {@code width} code points each in {@code data}. */
    static String[] decode(ByteBuffer data, long count, int width, Path file) {
        ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
        String[] strings = new String[Math.toIntExact(count)];
        int[] codePoints = new int[width];
        for (int i = 0; i < strings.length; i++) {
            int length = 0;
            for (int c = 0; c < width; c++) {
                codePoints[c] = in.getInt();
                if (codePoints[c] != 0) {
                    length = c + 1;
                }
                if (!Character.isValidCodePoint(codePoints[c])
                        || Character.getType(codePoints[c]) == Character.SURROGATE) {
                    throw new FileFormatException(file + ": element " + i + " holds " + Integer.toUnsignedString(
                            codePoints[c], 16) + ", which is not a Unicode code point; the file is damaged");
                }
            }
            strings[i] = new String(codePoints, 0, length);
        }
        return strings;
    }
}
