package io.conduit.server.grpc;

import io.conduit.core.ConduitException;
import io.conduit.server.http.AccessCheck;
import io.conduit.server.http.Caller;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Map;

/**
 * The gRPC port's authentication: every call is checked by the same {@link AccessCheck} as the HTTP port,
 * as the HTTP route it mirrors ({@code ModelInfer} as {@code POST /v2/models/NAME/infer}, so it needs the
 * {@code infer} role; the health RPCs are open, the metadata RPCs need any valid token). The token comes
 * in the {@code authorization} metadata ({@code Bearer TOKEN}, as Triton's clients send headers), the show
 * in {@code conduit-show}. The caller and the call's metadata travel to the service in the gRPC
 * {@link Context}; a refused call is closed here with UNAUTHENTICATED or PERMISSION_DENIED.
 */
final class GrpcAuth implements ServerInterceptor {
    static final Context.Key<Caller> CALLER = Context.key("conduit-caller");
    static final Context.Key<Metadata> HEADERS = Context.key("conduit-headers");
    /** The client's IP address: whom uploads count against when no tokens are enforced, as on HTTP. */
    static final Context.Key<String> ADDRESS = Context.key("conduit-address");

    static final Metadata.Key<String> AUTHORIZATION = key("authorization");
    /** The same names as the HTTP headers (gRPC metadata keys are lower case). */
    static final Metadata.Key<String> SHOW = key("conduit-show");
    static final Metadata.Key<String> DEPARTMENT = key("conduit-department");
    static final Metadata.Key<String> DEVICE = key("conduit-device");

    /** Each RPC as the HTTP route it mirrors: method and a path of the same shape (the model named in the message). */
    private static final Map<String, String[]> HTTP_TWINS = Map.of(
            "ServerLive", new String[] {"GET", "/v2/health/live"},
            "ServerReady", new String[] {"GET", "/v2/health/ready"},
            "ServerMetadata", new String[] {"GET", "/v2"},
            "ModelReady", new String[] {"GET", "/v2/models/MODEL/ready"},
            "ModelMetadata", new String[] {"GET", "/v2/models/MODEL"},
            "ModelConfig", new String[] {"GET", "/v2/models/MODEL/config"},
            "ModelStatistics", new String[] {"GET", "/v2/models/stats"},
            "ModelInfer", new String[] {"POST", "/v2/models/MODEL/infer"});

    private final AccessCheck access;

    GrpcAuth(AccessCheck access) {
        this.access = access;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        String rpc = call.getMethodDescriptor().getBareMethodName();
        String[] twin = HTTP_TWINS.get(rpc);
        if (twin == null) {
            // A method the service declares but this table lacks: refused rather than let through unchecked.
            throw new IllegalStateException("no access rule for the gRPC method " + rpc);
        }
        Caller caller;
        try {
            caller = access.check(twin[0], twin[1], rpc, headers.get(AUTHORIZATION), () -> value(headers, SHOW))
                    .orElse(null);
        } catch (ConduitException e) {
            StatusRuntimeException refusal = GrpcStatus.refusal(e, rpc);
            call.close(refusal.getStatus(), refusal.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        java.net.SocketAddress remote = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String address = remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        if (caller != null) {
            GrpcAccessLog.Entry.user(caller.user());
        }
        Context context = Context.current().withValue(CALLER, caller).withValue(HEADERS, headers)
                .withValue(ADDRESS, address);
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** A metadata value, stripped; null when absent or blank. */
    static String value(Metadata headers, Metadata.Key<String> key) {
        String v = headers.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
