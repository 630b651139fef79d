package io.conduit.server.http;

import io.conduit.core.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Limits the writes each caller makes to the paths it is given, per minute, as a token bucket per caller
 * and path: beyond it, 429 with {@code Retry-After} (the seconds until the next write fits), before the
 * body is read. Sits behind {@link AuthHandler}, because the caller it counts is the token's user.
 */
public final class RateGate extends Handler.Wrapper {
    private final Map<String, Integer> perMinuteByPath;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perMinuteByPath}: the POSTs per minute one caller may make to each path; other requests pass. */
    public RateGate(Handler next, Map<String, Integer> perMinuteByPath, LongSupplier nanoClock) {
        super(next);
        this.perMinuteByPath = Map.copyOf(perMinuteByPath);
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Integer perMinute = request.getMethod().equals("POST") ? perMinuteByPath.get(path) : null;
        if (perMinute == null) {
            return super.handle(request, response, callback);
        }
        String user = AuthHandler.caller(request).user();
        Bucket bucket = buckets.computeIfAbsent(user + " " + path, k -> new Bucket(perMinute, nanoClock.getAsLong()));
        long waitNanos = bucket.take(nanoClock.getAsLong());
        if (waitNanos == 0) {
            return super.handle(request, response, callback);
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        HttpExchange.error(response, callback, ErrorCode.RATE_LIMITED, user + " sent more than " + perMinute
                + " requests a minute to " + path + "; retry in " + seconds + " s");
        return true;
    }

    /** A minute's worth of writes, refilled continuously. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long at;

        Bucket(int perMinute, long now) {
            this.capacity = perMinute;
            this.perNano = perMinute / 60e9;
            this.tokens = perMinute;
            this.at = now;
        }

        /** Takes one write and returns 0, or takes nothing and returns the nanoseconds until one fits. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
