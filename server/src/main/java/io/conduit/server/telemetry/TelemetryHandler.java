package io.conduit.server.telemetry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.server.ServerMetrics;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.HttpExchange;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /conduit/v1/telemetry}: agents forward their inference records, kept beside the service's
 * own and marked {@code agent:USER}; {@code GET /conduit/v1/stats?model=M}: p50/p95/p99 per version and
 * route, error and fallback rates, over every record in the window. Both need a token when the service
 * has a tokens file.
 */
public final class TelemetryHandler extends Handler.Abstract {
    public static final String INGEST = "/conduit/v1/telemetry";
    public static final String STATS = "/conduit/v1/stats";
    private static final int MAX_BYTES = 16 << 20;

    private final ServerMetrics metrics;
    private final TelemetryStore store;

    /** {@code store} keeps forwarded records durably before they are acknowledged; null keeps them in memory only. */
    public TelemetryHandler(ServerMetrics metrics, TelemetryStore store) {
        this.metrics = metrics;
        this.store = store;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(INGEST) && !path.equals(STATS)) {
            return false;
        }
        try {
            String user = AuthHandler.caller(request).user();
            if (path.equals(STATS)) {
                requireMethod(request.getMethod(), "GET", response);
                String model = Request.extractQueryParameters(request).getValue("model");
                HttpExchange.json(response, callback, 200, metrics.telemetry().stats(model == null ? "" : model));
                return true;
            }
            requireMethod(request.getMethod(), "POST", response);
            JsonObject body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "telemetry batches are at most 16 MiB");
                }
                body = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            }
            java.util.List<Telemetry.Sample> batch = new java.util.ArrayList<>();
            for (JsonElement e : body.getAsJsonArray("samples")) {
                batch.add(Telemetry.Sample.fromJson(e.getAsJsonObject(), "agent:" + user)); // all parsed before any is kept
            }
            if (store != null) {
                store.addAll(batch); // committed before the answer: an acknowledged batch survives a crash
            }
            // Forwarded records go to the window behind /conduit/v1/stats only: their labels come from
            // clients, so they stay out of the service's own Prometheus series.
            batch.forEach(metrics.telemetry()::record);
            int taken = batch.size();
            JsonObject answer = new JsonObject();
            answer.addProperty("taken", taken);
            HttpExchange.json(response, callback, 200, answer);
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
        } catch (java.io.IOException | com.google.gson.JsonParseException | IllegalStateException
                 | UnsupportedOperationException | NullPointerException | NumberFormatException
                 | java.time.format.DateTimeParseException e) {
            // Gson's getters throw these for a missing field or one of the wrong kind.
            HttpExchange.error(response, callback, ErrorCode.USAGE, "expected {\"samples\": [...]} of telemetry records"
                    + " with at, model, version, route, endpoint, queueMs, transferMs, computeMs, totalMs, inputBytes,"
                    + " code and fallback");
        } catch (RuntimeException e) {
            HttpExchange.internal(response, callback, ErrorCode.INTERNAL, e);
        }
        return true;
    }

    private static void requireMethod(String method, String allowed, Response response) {
        if (!method.equals(allowed)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not supported here; use " + allowed);
        }
    }
}
