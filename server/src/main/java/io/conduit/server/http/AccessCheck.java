package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The authentication and role check itself, apart from any protocol: the caller a bearer token names, the
 * role {@link AccessPolicy} asks of the route, and the show the request acts in. {@link AuthHandler} runs it
 * for every HTTP request and the gRPC port for every call (each RPC checked as the HTTP route it mirrors),
 * so both ports refuse and admit exactly the same callers with the same messages.
 */
public final class AccessCheck {
    private final TokenStore tokens;

    public AccessCheck(TokenStore tokens) {
        this.tokens = tokens;
    }

    /**
     * The caller of {@code method path}, or empty for an open route (health); refused with
     * {@link ErrorCode#UNAUTHORIZED} for a missing or unknown token and {@link ErrorCode#FORBIDDEN} for a
     * missing role or a show the token may not act in. {@code authorization} is the Authorization value
     * ({@code Bearer TOKEN}), {@code show} the show the request names (null for none; asked only for a
     * route that is not open).
     */
    public Optional<Caller> check(String method, String path, String authorization, Supplier<String> show) {
        return check(method, path, method + " " + path, authorization, show);
    }

    /** As {@link #check(String, String, String, Supplier)}, naming the call {@code described} in refusals. */
    public Optional<Caller> check(String method, String path, String described, String authorization,
                                  Supplier<String> show) {
        AccessPolicy.Need need = AccessPolicy.required(method, path);
        if (need.open()) {
            return Optional.empty();
        }
        Caller caller = tokens.authenticate(authorization)
                .orElseThrow(() -> new ConduitException(ErrorCode.UNAUTHORIZED, "this server needs an Authorization:"
                        + " Bearer token listed in its tokens file (a bridge's agent writes its own to agent.json)"));
        if (need.role() != null && !caller.has(need.role())) {
            throw new ConduitException(ErrorCode.FORBIDDEN, described + " needs the "
                    + need.role().label() + " role; the token of " + caller.describe() + " lacks it");
        }
        String named = show.get();
        if (named != null && !caller.mayUseShow(named)) {
            throw new ConduitException(ErrorCode.FORBIDDEN, "the token of " + caller.describe()
                    + " may not act in show " + named);
        }
        return Optional.of(caller);
    }

    /** Whether the tokens file is enforced (false: every caller is "anonymous", counted per address). */
    public boolean enforced() {
        return tokens.enforced();
    }
}
