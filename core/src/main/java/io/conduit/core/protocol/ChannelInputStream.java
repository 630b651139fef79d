package io.conduit.core.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * An input stream over a channel that is still a channel, so {@link V2Codec} can read the JSON
 * header through the stream and binary tensors through {@link #read(ByteBuffer)} without an
 * intermediate array. OkHttp's {@code BufferedSource} and the server's body reader both fit.
 */
public final class ChannelInputStream extends InputStream implements ReadableByteChannel {
    private final ReadableByteChannel channel;
    private final ByteBuffer single = ByteBuffer.allocate(1);

    public ChannelInputStream(ReadableByteChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        single.clear();
        int n;
        while ((n = channel.read(single)) == 0) {
            Thread.onSpinWait();
        }
        return n < 0 ? -1 : single.get(0) & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        ByteBuffer target = ByteBuffer.wrap(bytes, offset, length);
        while ((n = channel.read(target)) == 0) {
            Thread.onSpinWait();
        }
        return n;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return channel.read(destination);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
