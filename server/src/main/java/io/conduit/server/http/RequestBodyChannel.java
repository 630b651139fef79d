package io.conduit.server.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A blocking channel over a Jetty request body that copies each network chunk straight into the
 * caller's buffer (a tensor's direct buffer, for binary data), with no intermediate array.
 */
public final class RequestBodyChannel implements ReadableByteChannel {
    private final Request request;
    private Content.Chunk current;
    private boolean finished;
    private boolean open = true;

    public RequestBodyChannel(Request request) {
        this.request = request;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        if (!destination.hasRemaining()) {
            return 0;
        }
        while (true) {
            if (current != null) {
                ByteBuffer data = current.getByteBuffer();
                if (data.hasRemaining()) {
                    int n = Math.min(data.remaining(), destination.remaining());
                    ByteBuffer slice = data.slice(data.position(), n);
                    destination.put(slice);
                    data.position(data.position() + n);
                    return n;
                }
                boolean last = current.isLast();
                current.release();
                current = null;
                if (last) {
                    finished = true;
                }
            }
            if (finished) {
                return -1;
            }
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitDemand();
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            current = chunk;
        }
    }

    private void awaitDemand() throws IOException {
        CountDownLatch available = new CountDownLatch(1);
        request.demand(available::countDown);
        try {
            available.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        if (current != null) {
            current.release();
            current = null;
        }
    }
}
