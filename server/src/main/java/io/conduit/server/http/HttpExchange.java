package io.conduit.server.http;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing JSON, errors and streamed bodies to a Jetty response, in the shapes the V2 protocol uses. */
public final class HttpExchange {
    private static final Gson GSON = new Gson();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpExchange.class);

    private HttpExchange() {
    }

    public static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes = (body instanceof JsonObject o ? o.toString() : GSON.toJson(body)).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Answers a failure. A client's mistake (4xx) or a busy server (503, 504) is answered with its message;
     * the server's own failure (500) is logged here with its stack trace under an incident id, and the
     * client gets only the code and that id: an exception's text names files, databases and classes on
     * the server, which are no business of a caller's.
     */
    public static void error(Response response, Callback callback, io.conduit.core.ConduitException e) {
        if (e.code().httpStatus() == 500) {
            internal(response, callback, e.code(), e);
        } else {
            error(response, callback, e.code(), e.getMessage());
        }
    }

    /** Logs {@code failure} with its stack trace and answers {@code code} with an incident id only. */
    public static void internal(Response response, Callback callback, ErrorCode code, Throwable failure) {
        String incident = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
        Request request = response.getRequest();
        LOG.error("incident {}: {} {} failed", incident, request.getMethod(), Request.getPathInContext(request), failure);
        error(response, callback, code, "the server failed to complete this request (incident " + incident
                + "; its log has the details)");
    }

    /** {@code {"error": message, "code": "CDT-..."}} with the status for {@code code}, plus Retry-After or WWW-Authenticate where due. */
    public static void error(Response response, Callback callback, ErrorCode code, String message) {
        if (code.httpStatus() == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        if (code == ErrorCode.UNAUTHORIZED) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (response.getRequest().getLength() != 0) {
            // A refusal may leave the body unread (reading what a stranger sends is what an attack wants),
            // and then Jetty closes the connection after the answer. Saying so keeps a client from sending
            // its next request down a connection that is about to close, which it would see as no answer.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        body.addProperty("code", code.searchCode()); // beyond the V2 spec's shape, which clients ignore; ours rethrow it typed
        json(response, callback, code.httpStatus(), body);
    }

    public static void stream(Response response, Callback callback, int status, String contentType, long length,
                       BodyWriter writer) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (length >= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            writer.write(out);
        }
        callback.succeeded();
    }

    /**
     * Writes an encoded V2 message, handing each tensor's buffer to Jetty as it is: no copy between
     * the tensor and the socket. Completes {@code callback} on success; throws on failure.
     */
    public static void writeBody(Response response, Callback callback, io.conduit.core.protocol.V2Body body)
            throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, body.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.contentLength());
        write(response, java.nio.ByteBuffer.wrap(body.header()));
        for (java.nio.ByteBuffer section : body.sections()) {
            write(response, section.duplicate());
        }
        response.write(true, org.eclipse.jetty.util.BufferUtil.EMPTY_BUFFER, callback);
    }

    private static void write(Response response, java.nio.ByteBuffer buffer) throws IOException {
        try (org.eclipse.jetty.util.Blocker.Callback blocker = org.eclipse.jetty.util.Blocker.callback()) {
            response.write(false, buffer, blocker);
            blocker.block();
        }
    }

    /** Produces a response body. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }
}
