package io.conduit.core.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
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

    public void writeTo(OutputStream out) throws IOException {
        out.write(header);
        WritableByteChannel channel = Channels.newChannel(out);
        for (ByteBuffer section : sections) {
            ByteBuffer view = section.duplicate();
            while (view.hasRemaining()) {
                channel.write(view);
            }
        }
        out.flush();
    }
}
