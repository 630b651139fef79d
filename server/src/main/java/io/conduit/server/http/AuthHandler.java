package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
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
 * and none can take the user from the request body.
 */
public final class AuthHandler extends Handler.Wrapper {
    static final String CALLER = Caller.class.getName();

    private final TokenStore tokens;

    public AuthHandler(TokenStore tokens, Handler next) {
        super(next);
        this.tokens = tokens;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        AccessPolicy.Need need = AccessPolicy.required(request.getMethod(), path);
        if (need.open()) {
            return super.handle(request, response, callback);
        }
        try {
            Caller caller = tokens.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                    .orElseThrow(() -> new ConduitException(ErrorCode.UNAUTHORIZED, "this server needs an Authorization:"
                            + " Bearer token listed in its tokens file (a bridge's agent writes its own to agent.json)"));
            if (need.role() != null && !caller.has(need.role())) {
                throw new ConduitException(ErrorCode.FORBIDDEN, request.getMethod() + " " + path + " needs the "
                        + need.role().label() + " role; the token of " + caller.describe() + " lacks it");
            }
            String show = show(request);
            if (show != null && !caller.mayUseShow(show)) {
                throw new ConduitException(ErrorCode.FORBIDDEN, "the token of " + caller.describe()
                        + " may not act in show " + show);
            }
            request.setAttribute(CALLER, caller);
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
