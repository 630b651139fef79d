package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses a request body once it passes the size limit, for bodies that declare no Content-Length. */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(Math.max(n, 0));
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge("more than " + limit + " bytes", limit);
        }
    }

    static ConduitException tooLarge(String size, long limit) {
        return new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "the request body is " + size
                + "; this server accepts at most " + limit + " (conduit serve --max-request-mb)");
    }
}
