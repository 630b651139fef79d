package io.conduit.core.io.exr;

import io.conduit.core.FileFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Little-endian reads over the start of an EXR file that know their byte position, so every
 * complaint can say where in the file it found the problem, and that check each length the file
 * declares against what is left of the file before allocating anything for it.
 */
final class HeaderInput {
    private final InputStream in;
    private final Path file;
    private final long fileSize;
    private long position;

    HeaderInput(InputStream in, Path file, long fileSize) {
        this.in = new BufferedInputStream(in, 8192);
        this.file = file;
        this.fileSize = fileSize;
    }

    long position() {
        return position;
    }

    long remaining() {
        return fileSize - position;
    }

    int u8(String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated(what);
        }
        position++;
        return b;
    }

    int i32(String what) throws IOException {
        byte[] b = bytes(4, what);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** A NUL-terminated name of at most {@code maxLength} bytes; "" for the terminating NUL alone. */
    String name(int maxLength, String what) throws IOException {
        long start = position;
        byte[] buffer = new byte[maxLength];
        for (int n = 0; ; n++) {
            int b = u8(what);
            if (b == 0) {
                return new String(buffer, 0, n, StandardCharsets.UTF_8);
            }
            if (n == maxLength) {
                throw error("the " + what + " at byte " + start + " is longer than " + maxLength + " bytes");
            }
            buffer[n] = (byte) b;
        }
    }

    /** Exactly {@code length} bytes, refused before allocation if the file cannot hold them. */
    byte[] bytes(long length, String what) throws IOException {
        if (length < 0 || length > remaining()) {
            throw error("the " + what + " at byte " + position + " declares " + length + " bytes but only "
                    + remaining() + " are left in the file; the file is truncated or damaged");
        }
        try {
            byte[] b = in.readNBytes((int) length);
            if (b.length != length) {
                throw new EOFException();
            }
            position += length;
            return b;
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    void skip(long length, String what) throws IOException {
        if (length < 0 || length > remaining()) {
            throw error("the " + what + " at byte " + position + " declares " + length + " bytes but only "
                    + remaining() + " are left in the file; the file is truncated or damaged");
        }
        in.skipNBytes(length);
        position += length;
    }

    FileFormatException error(String message) {
        return new FileFormatException(file + ": " + message);
    }

    private FileFormatException truncated(String what) {
        return error("the file ends at byte " + position + " inside the " + what + "; it is truncated");
    }
}
