package io.conduit.core.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An encoded V2 message ready to send: the JSON header and, with the binary tensor extension, the
 * raw tensor sections that follow it. Tensor bytes are referenced, not copied, until written.
 *
 * @param binary whether binary sections follow, so {@code Inference-Header-Content-Length} must be sent
 */
public record V2Body(byte[] header, List<ByteBuffer> sections, boolean binary) {
    /** The HTTP header that tells where the JSON ends and binary data begins. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    public static final String JSON_TYPE = "application/json";
    public static final String BINARY_TYPE = "application/octet-stream";

    public V2Body {
        sections = List.copyOf(sections);
    }

    public long contentLength() {
        long length = header.length;
        for (ByteBuffer section : sections) {
            length += section.remaining();
        }
        return length;
    }

    public String contentType() {
        return binary ? BINARY_TYPE : JSON_TYPE;
    }

    /**
     * Writes the body to a stream in large pieces: a heap buffer's array in one call, a direct
     * buffer through one reused 1 MiB array (stream adapters such as {@code Channels.newChannel}
     * would cut it into 8 KiB writes, each a round trip through the HTTP stack).
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(header);
        byte[] chunk = null;
        for (ByteBuffer section : sections) {
            ByteBuffer view = section.duplicate();
            if (view.hasArray()) {
                out.write(view.array(), view.arrayOffset() + view.position(), view.remaining());
                continue;
            }
            if (chunk == null) {
                chunk = new byte[1 << 20];
            }
            while (view.hasRemaining()) {
                int n = Math.min(chunk.length, view.remaining());
                view.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
        out.flush();
    }
}
