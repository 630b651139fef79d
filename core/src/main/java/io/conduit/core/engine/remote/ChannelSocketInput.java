package io.conduit.core.engine.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A socket's input stream that reads from the channel into one direct buffer, as much as has
 * arrived, and serves reads from it. The kernel writes into that buffer directly, so each byte is
 * copied once on its way to Okio's segments (a plain socket stream reads into a temporary native
 * buffer and copies from there).
 */
final class ChannelSocketInput extends InputStream {
    private final SocketChannel channel;
    private final Socket adaptor;
    /** Bytes received and not yet read, between position and limit. */
    private final ByteBuffer buffer;
    private InputStream timed;
    private byte[] timedChunk;

    ChannelSocketInput(SocketChannel channel, Socket adaptor, int bufferSize) {
        this.channel = channel;
        this.adaptor = adaptor;
        this.buffer = ByteBuffer.allocateDirect(bufferSize).flip();
    }

    @Override
    public int read() throws IOException {
        return fill() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    @Override
    public void close() throws IOException {
        channel.close(); // as a socket's stream does: closing it closes the socket
    }

    /** Whether bytes are buffered, reading from the socket when none are; false at end of stream. */
    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        buffer.clear();
        int n;
        try {
            n = adaptor.getSoTimeout() == 0 ? channel.read(buffer) : timedRead();
        } finally {
            buffer.flip();
        }
        return n > 0;
    }

    /**
     * A read that gives up after SO_TIMEOUT, which a blocking channel read ignores: through the
     * adaptor's own stream, which honours it. OkHttp sets a timeout of 1 ms to check that a pooled
     * connection is still open (the engine's own reads have none; its calls end by closing the socket).
     */
    private int timedRead() throws IOException {
        if (timed == null) {
            timed = adaptor.getInputStream();
            timedChunk = new byte[8192];
        }
        int n = timed.read(timedChunk, 0, Math.min(timedChunk.length, buffer.remaining()));
        if (n > 0) {
            buffer.put(timedChunk, 0, n);
        }
        return n;
    }
}
