package io.conduit.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The service's feedback endpoint: {@code POST /conduit/v1/feedback} stores a note the agents upload
 * (201, or 200 when its id is already stored), {@code GET /conduit/v1/feedback?model=M&since=YYYY-MM-DD}
 * lists them for {@code conduit feedback report}. The note's user is the token's, whatever the body says.
 */
final class FeedbackHandler extends Handler.Abstract {
    static final String PATH = "/conduit/v1/feedback";
    private static final int MAX_BYTES = 512 * 1024;

    private final FeedbackStore store;

    FeedbackHandler(FeedbackStore store) {
        this.store = store;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return false;
        }
        try {
            switch (request.getMethod()) {
                case "POST" -> {
                    JsonObject note = read(request);
                    for (String field : new String[]{"id", "at", "model", "version", "rating"}) {
                        if (!note.has(field)) {
                            throw new ConduitException(ErrorCode.USAGE, "feedback needs \"" + field + "\"; it has "
                                    + note.keySet());
                        }
                    }
                    int rating = note.get("rating").getAsInt();
                    if (rating < 1 || rating > 5) {
                        throw new ConduitException(ErrorCode.USAGE, "feedback rating must be 1 to 5; got " + rating);
                    }
                    note.addProperty("user", AuthHandler.caller(request).user()); // who wrote it is whom the token names
                    boolean stored = store.add(note);
                    JsonObject answer = new JsonObject();
                    answer.addProperty("id", note.get("id").getAsString());
                    answer.addProperty("stored", stored);
                    HttpExchange.json(response, callback, stored ? 201 : 200, answer);
                }
                case "GET" -> {
                    Fields query = Request.extractQueryParameters(request);
                    String since = query.getValue("since");
                    Instant from = since == null || since.isBlank() ? Instant.EPOCH
                            : LocalDate.parse(since).atStartOfDay().toInstant(ZoneOffset.UTC);
                    JsonArray notes = new JsonArray();
                    store.list(query.getValue("model") == null ? "" : query.getValue("model"), from).forEach(notes::add);
                    JsonObject answer = new JsonObject();
                    answer.add("feedback", notes);
                    HttpExchange.json(response, callback, 200, answer);
                }
                default -> {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
                    throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, request.getMethod() + " " + PATH
                            + " is not supported; use GET or POST");
                }
            }
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e.code(), e.getMessage());
        } catch (java.time.format.DateTimeParseException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "since must be a date like 2026-11-01: " + e.getMessage());
        } catch (RuntimeException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "the feedback is not valid JSON with the expected"
                    + " fields: " + e.getMessage());
        }
        return true;
    }

    private static JsonObject read(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "a feedback note is at most 512 KiB");
            }
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (java.io.IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "the request body could not be read: " + e.getMessage(), e);
        }
    }
}
