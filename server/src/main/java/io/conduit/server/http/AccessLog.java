package io.conduit.server.http;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One line per request a server answered, written when its response completes: time, the token's
 * user, method and path, model and version, the route that ran it, status and milliseconds
 * ({@code 2026-11-27T10:00:00Z user=ana POST /v2/models/x/infer model=x version=1.0.0 route=local-gpu
 * status=200 ms=41.2}). It wraps the auth layer, so it sees the caller the token named (never one a
 * request body claims), and every refusal too. {@code serve} and {@code agent} turn it off with
 * {@code --no-access-log}.
 */
public final class AccessLog extends Handler.Wrapper {
    /** The request attribute a handler sets to the route that ran the model. */
    public static final String ROUTE = "io.conduit.route";

    private static final Pattern MODEL = Pattern.compile("^/v2/models/([^/]+)(?:/versions/([^/]+))?/.*");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.conduit.access");

    /** The {@code io.conduit.access} logger at INFO (stderr; the agent's stderr is its agent.log). */
    public static final Consumer<String> DEFAULT_SINK = LOG::info;

    private final Consumer<String> sink;

    public AccessLog(Handler handler, Consumer<String> sink) {
        super(handler);
        this.sink = sink;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        Callback logged = Callback.from(callback, () -> sink.accept(line(request, response, started)));
        return super.handle(request, response, logged);
    }

    static String line(Request request, Response response, long startedNanos) {
        String path = Request.getPathInContext(request);
        // The attribute, not AuthHandler.caller(): a refused request has no caller, and its line is wanted too.
        Object caller = request.getAttribute(AuthHandler.CALLER);
        Matcher m = MODEL.matcher(path);
        Object route = request.getAttribute(ROUTE);
        return format(caller instanceof Caller c ? c.user() : null, request.getMethod(), path,
                m.matches() ? m.group(1) : null, m.matches() ? m.group(2) : null, route == null ? null : route.toString(),
                String.valueOf(response.getStatus()), startedNanos);
    }

    /**
     * One access-log line, the same shape for every port (the gRPC port logs its calls with it too):
     * null for what is unknown ({@code user=-}) or does not apply (no model, no route).
     */
    public static String format(String user, String method, String path, String model, String version, String route,
                                String status, long startedNanos) {
        StringBuilder line = new StringBuilder(Instant.now().toString());
        line.append(" user=").append(user == null ? "-" : user);
        line.append(' ').append(method).append(' ').append(path);
        if (model != null) {
            line.append(" model=").append(model).append(" version=").append(version == null ? "-" : version);
        }
        if (route != null) {
            line.append(" route=").append(route);
        }
        line.append(" status=").append(status);
        line.append(String.format(Locale.ROOT, " ms=%.1f", (System.nanoTime() - startedNanos) / 1e6));
        return line.toString();
    }
}
