package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.protocol.ChannelInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Refuses a request body once it passes the size limit, for bodies that declare no Content-Length.
 * It stays a channel, so binary tensors are still read straight into their buffers.
 */
public final class LimitedInputStream extends InputStream implements ReadableByteChannel {
    private final ChannelInputStream in;
    private final long limit;
    private final String kind;
    private long read;

    public LimitedInputStream(ChannelInputStream in, long limit, String kind) {
        this.in = in;
        this.limit = limit;
        this.kind = kind;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        count(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        count(Math.max(n, 0));
        return n;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        int n = in.read(destination);
        count(Math.max(n, 0));
        return n;
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge("more than " + limit + " bytes", limit, kind);
        }
    }

    public static ConduitException tooLarge(String size, long limit, String kind) {
        return new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "the request body is " + size
                + "; this server accepts at most " + limit + kind + " (conduit serve --max-request-mb)");
    }
}
