package io.conduit.core.engine.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.function.Function;

/**
 * A response body that may hold at most {@code limit} bytes: reading past them fails with the
 * exception {@code tooLarge} makes, so a service cannot make the client read (or hold) more than the
 * answer it asked for can take, whatever Content-Length it sent, or none.
 */
final class BoundedChannel implements ReadableByteChannel {
    private final ReadableByteChannel in;
    private final long limit;
    private final Function<String, RuntimeException> tooLarge;
    private long read;

    BoundedChannel(ReadableByteChannel in, long limit, Function<String, RuntimeException> tooLarge) {
        this.in = in;
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        // One byte past the limit is enough to know: never ask the service for more.
        int room = (int) Math.min(destination.remaining(), limit - read + 1);
        ByteBuffer window = destination.slice(destination.position(), room);
        int n = in.read(window);
        if (n > 0) {
            destination.position(destination.position() + n);
            read += n;
            if (read > limit) {
                throw tooLarge.apply("more than " + limit + " bytes");
            }
        }
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
}
