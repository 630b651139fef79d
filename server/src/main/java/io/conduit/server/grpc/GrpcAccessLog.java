package io.conduit.server.grpc;

import io.conduit.server.http.AccessLog;
import io.conduit.server.grpc.proto.ModelConfigRequest;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.grpc.proto.ModelMetadataRequest;
import io.conduit.server.grpc.proto.ModelReadyRequest;
import io.conduit.server.grpc.proto.ModelStatisticsRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.Consumer;

/**
 * The gRPC port's access log: one line per call, in the HTTP port's shape and to the same sink
 * ({@code 2026-11-27T10:00:00Z user=ana GRPC /inference.GRPCInferenceService/ModelInfer model=x version=-
 * route=local-gpu status=OK ms=41.2}), written when the call closes. It sits outside {@link GrpcAuth}, so
 * refused calls are logged too; the user and the route reach it through the call's {@link Entry}.
 */
final class GrpcAccessLog implements ServerInterceptor {
    static final Context.Key<Entry> ENTRY = Context.key("conduit-access-entry");

    private final Consumer<String> sink;

    GrpcAccessLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** What the inner layers learn about a call: who made it (once authenticated) and where it ran. */
    static final class Entry {
        volatile String user;
        volatile String route;
        volatile String model;
        volatile String version;

        /** Records on the current call's entry, if the call is being logged. */
        static void user(String user) {
            Entry e = ENTRY.get();
            if (e != null) {
                e.user = user;
            }
        }

        static void route(String route) {
            Entry e = ENTRY.get();
            if (e != null) {
                e.route = route;
            }
        }
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        long started = System.nanoTime();
        Entry entry = new Entry();
        String method = "/" + call.getMethodDescriptor().getFullMethodName();
        ServerCall<Q, A> logged = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                sink.accept(AccessLog.format(entry.user, "GRPC", method, entry.model, entry.version, entry.route,
                        status.getCode().name(), started));
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> inner = Contexts.interceptCall(Context.current().withValue(ENTRY, entry), logged,
                headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(inner) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof ModelInferRequest r) {
                    model(entry, r.getModelName(), r.getModelVersion());
                } else if (message instanceof ModelMetadataRequest r) {
                    model(entry, r.getName(), r.getVersion());
                } else if (message instanceof ModelReadyRequest r) {
                    model(entry, r.getName(), r.getVersion());
                } else if (message instanceof ModelConfigRequest r) {
                    model(entry, r.getName(), r.getVersion());
                } else if (message instanceof ModelStatisticsRequest r && !r.getName().isEmpty()) {
                    model(entry, r.getName(), r.getVersion());
                }
                super.onMessage(message);
            }
        };
    }

    private static void model(Entry entry, String name, String version) {
        entry.model = name;
        entry.version = version.isEmpty() ? null : version;
    }
}
