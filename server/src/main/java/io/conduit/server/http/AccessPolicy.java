package io.conduit.server.http;

import io.conduit.core.registry.RegistryApi;
import io.conduit.server.agent.AgentHandler;
import io.conduit.server.feedback.FeedbackHandler;
import io.conduit.server.telemetry.TelemetryHandler;
import io.conduit.server.ui.UiHandler;

/**
 * Which role each route needs: the one table the {@link AuthHandler} consults for every request, so a new
 * handler cannot forget its check. Health and the dashboard's static page are open (load balancers and
 * browsers call them without tokens); inference needs {@code infer}, notes and telemetry {@code feedback},
 * every registry write {@code publish}; everything else (metadata, listings, stats) any valid token.
 */
public final class AccessPolicy {
    /** What a route asks of its caller: nothing, a valid token, or a token with a role. */
    record Need(boolean open, Role role) {
        static final Need OPEN = new Need(true, null);
        static final Need AUTHENTICATED = new Need(false, null);

        static Need role(Role role) {
            return new Need(false, role);
        }
    }

    private AccessPolicy() {
    }

    static Need required(String method, String path) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read && (path.equals("/v2/health/live") || path.equals("/v2/health/ready") || UiHandler.isStaticFile(path))) {
            return Need.OPEN;
        }
        if (read) {
            return Need.AUTHENTICATED;
        }
        if (path.startsWith("/v2/models/") && stripSlash(path).endsWith("/infer")
                || stripSlash(path).equals(AgentHandler.PREFIX + "/batch")) {
            return Need.role(Role.INFER);
        }
        if (stripSlash(path).equals(FeedbackHandler.PATH) || stripSlash(path).equals(AgentHandler.PREFIX + "/feedback")
                || stripSlash(path).equals(TelemetryHandler.INGEST)) {
            return Need.role(Role.FEEDBACK);
        }
        if (path.startsWith(RegistryApi.models()) || path.startsWith(RegistryApi.PREFIX + "/blobs")) {
            return Need.role(Role.PUBLISH);
        }
        return Need.AUTHENTICATED; // an unknown route: the handler answers 404 or 405, but only to a token holder
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
