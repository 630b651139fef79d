package io.conduit.server.feedback;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.HttpExchange;
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
public final class FeedbackHandler extends Handler.Abstract {
    public static final String PATH = "/conduit/v1/feedback";
    private static final int MAX_BYTES = 512 * 1024;

    private final FeedbackStore store;

    public FeedbackHandler(FeedbackStore store) {
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
                    validate(note);
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
            HttpExchange.error(response, callback, e);
        } catch (java.time.format.DateTimeParseException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "since must be a date like 2026-11-01");
        } catch (com.google.gson.JsonParseException | IllegalStateException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "the feedback is not a JSON object; see docs/feedback.md");
        } catch (RuntimeException e) {
            HttpExchange.internal(response, callback, ErrorCode.INTERNAL, e);
        }
        return true;
    }

    /** The id is the table's key and goes in logs: short, and nothing but letters, digits and {@code . _ : -}. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Every field the store relies on, checked with a message naming it, before anything is stored. */
    private static void validate(JsonObject note) {
        String id = text(note, "id");
        if (!ID.matcher(id).matches()) {
            throw new ConduitException(ErrorCode.USAGE, "feedback id must be 1 to 64 letters, digits or . _ : -; got "
                    + id.length() + " characters");
        }
        try {
            Instant.parse(text(note, "at"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConduitException(ErrorCode.USAGE, "feedback \"at\" must be a UTC time like 2026-11-27T10:00:00Z");
        }
        text(note, "model");
        text(note, "version");
        var rating = note.get("rating");
        if (rating == null || !rating.isJsonPrimitive() || !rating.getAsJsonPrimitive().isNumber()
                || !rating.getAsString().matches("[1-5]")) {
            throw new ConduitException(ErrorCode.USAGE, "feedback rating must be a whole number from 1 to 5");
        }
    }

    private static String text(JsonObject note, String field) {
        var value = note.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ConduitException(ErrorCode.USAGE, "feedback needs \"" + field + "\" as a string; it has "
                    + note.keySet());
        }
        return value.getAsString();
    }

    private static JsonObject read(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "a feedback note is at most 512 KiB");
            }
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (java.io.IOException e) {
            throw new ConduitException(ErrorCode.USAGE, "the request body could not be read", e);
        }
    }
}
