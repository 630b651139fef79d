package io.conduit.core.engine.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A socket's output stream that collects writes in one direct buffer and hands it to the channel
 * when full or flushed. Okio writes 8 KiB segments; each is copied once, into native memory the
 * kernel reads from directly (a plain socket stream copies every array into a temporary native
 * buffer first).
 */
final class ChannelSocketOutput extends OutputStream {
    private final SocketChannel channel;
    private final ByteBuffer buffer;

    ChannelSocketOutput(SocketChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                drain();
            }
        } finally {
            channel.close(); // as a socket's stream does: closing it closes the socket
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer); // blocking: returns once some bytes are taken
            }
        } finally {
            buffer.clear();
        }
    }
}
