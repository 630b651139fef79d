package io.conduit.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.conduit.server.grpc.proto.ServerMetadataRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code --keystore}, the gRPC port speaks TLS with the HTTPS port's certificate, and nothing in clear. */
class GrpcTlsTest {
    private static final String PASSWORD = "conduit-test-secret";

    @TempDir
    Path dir;

    @Test
    void theGrpcPortUsesTheHttpsKeystore() throws Exception {
        Path keystore = dir.resolve("service.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", "conduit", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
                "-validity", "2")).redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), said);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("conduit");

        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.packageOf("scale_bias.onnx", models);
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"))) {
            ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).grpcPort(0)
                    .keystore(keystore, PASSWORD).build(), engine);
            int port = server.grpcPort().getAsInt();
            ManagedChannel tls = NettyChannelBuilder.forAddress("localhost", port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(certificate).build()).build();
            ManagedChannel clear = NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
            try {
                assertEquals("conduit", GRPCInferenceServiceGrpc.newBlockingStub(tls).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc
                        .newBlockingStub(clear).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .serverMetadata(ServerMetadataRequest.getDefaultInstance()));
                assertTrue(refused.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                        || refused.getStatus().getCode() == io.grpc.Status.Code.INTERNAL, refused.toString());
            } finally {
                tls.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                clear.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                server.close();
            }
        }
    }
}
