package io.conduit.server.grpc;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.server.http.AccessCheck;
import io.conduit.server.http.UploadGate;
import io.conduit.server.v2.TritonHandler;
import io.conduit.server.v2.V2Inference;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;

/**
 * The gRPC port of {@code conduit serve --grpc-port}: the Open Inference Protocol's
 * {@code inference.GRPCInferenceService}, so Triton's gRPC clients run against Conduit as against Triton
 * (health, metadata, inference, and Triton's configuration and statistics extensions). A thin
 * front, built on grpc-java's Netty server: the {@link GrpcAuth} check in front of every call, the service
 * over the same {@link V2Inference} as the HTTP port, messages bounded by the same largest request
 * ({@code --max-request-mb}) and admitted through the same {@link UploadGate} (per-caller slots, in-flight
 * bytes), TLS from the same keystore. Shutting down stops new calls and lets running ones finish, within
 * the drain timeout.
 */
public final class GrpcFront implements AutoCloseable {
    private final Server server;
    private final ExecutorService executor;

    private GrpcFront(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** What the port is built from; {@code keystore} null for plain text (h2c), {@code accessLog} null for none. */
    public record Settings(InetSocketAddress address, long maxMessageBytes, int maxCallsPerConnection, Path keystore,
                           String keystorePassword, Consumer<String> accessLog) {
    }

    /** Listens on {@code settings.address()}, or fails with {@link ErrorCode#IO_ERROR} naming the port. */
    public static GrpcFront start(Settings settings, V2Inference inference, AccessCheck access, UploadGate uploads,
                                  TritonHandler triton, BooleanSupplier ready) {
        AtomicInteger threads = new AtomicInteger();
        // Calls block on the model's queue as the HTTP port's threads do, so they run off Netty's event loops.
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "conduit-grpc-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(settings.address())
                .executor(executor)
                // A protobuf message holds at most 2 GiB; beyond --max-request-mb gRPC refuses it, RESOURCE_EXHAUSTED.
                .maxInboundMessageSize((int) Math.min(settings.maxMessageBytes(), Integer.MAX_VALUE))
                .maxConcurrentCallsPerConnection(settings.maxCallsPerConnection())
                .addService(settings.accessLog() == null
                        ? ServerInterceptors.intercept(new GrpcInferenceService(inference, uploads, triton, ready), new GrpcAuth(access))
                        // The last runs first: the log wraps the auth check, so refusals are logged too.
                        : ServerInterceptors.intercept(new GrpcInferenceService(inference, uploads, triton, ready), new GrpcAuth(access),
                        new GrpcAccessLog(settings.accessLog())));
        if (settings.keystore() != null) {
            builder.sslContext(tls(settings.keystore(), settings.keystorePassword()));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot listen for gRPC on " + settings.address() + ": "
                    + e.getMessage(), e);
        }
        return new GrpcFront(server, executor);
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext tls(Path keystore, String password) {
        try {
            char[] secret = password.toCharArray();
            KeyStore store = KeyStore.getInstance(keystore.toFile(), secret); // PKCS12 or JKS, by its contents
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            return GrpcSslContexts.configure(SslContextBuilder.forServer(keys)).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot use keystore " + keystore + " for the gRPC port: "
                    + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    /** Stops taking calls; calls already running go on (their answers still arrive). */
    public void stopAccepting() {
        server.shutdown();
    }

    /** Waits up to {@code timeout} for running calls, then cancels what is left. */
    public void drain(Duration timeout) {
        server.shutdown();
        try {
            if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }
}
