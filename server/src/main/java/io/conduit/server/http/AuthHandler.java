package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.server.v2.V2Handler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one authentication and role check in front of every handler, like an OkHttp interceptor: it
 * finds the caller from the bearer token, checks the role {@link AccessPolicy} asks for and the show the
 * request names ({@code Conduit-Show} header or {@code ?show=}), and hands the {@link Caller} to the
 * handlers as a request attribute. Handlers never look at tokens themselves, so none can skip the check
 * and none can take the user from the request body. The check itself is {@link AccessCheck}, which the
 * gRPC port runs for its calls too.
 */
public final class AuthHandler extends Handler.Wrapper {
    static final String CALLER = Caller.class.getName();

    private final AccessCheck access;

    public AuthHandler(AccessCheck access, Handler next) {
        super(next);
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        try {
            access.check(request.getMethod(), Request.getPathInContext(request),
                    request.getHeaders().get(HttpHeader.AUTHORIZATION), () -> show(request))
                    .ifPresent(caller -> request.setAttribute(CALLER, caller));
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static String show(Request request) {
        String header = request.getHeaders().get(V2Handler.SHOW_HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String query = Request.extractQueryParameters(request).getValue("show");
        return query == null || query.isBlank() ? null : query.strip();
    }

    /** The caller this layer established for {@code request}; fails loudly for a handler mounted outside it. */
    public static Caller caller(Request request) {
        Object caller = request.getAttribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no caller on " + Request.getPathInContext(request)
                    + ": the handler is not behind AuthHandler");
        }
        return (Caller) caller;
    }
}
