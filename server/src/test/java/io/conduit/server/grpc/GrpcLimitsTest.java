package io.conduit.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.http.UploadLimits;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC port takes its messages through the HTTP port's upload gate: one caller's upload slots are
 * shared by both ports, so a caller cannot double its share of the server by using both. Its calls go to
 * the HTTP port's access log, refusals included.
 */
class GrpcLimitsTest {
    private static final String TOKEN = "grpc-limits-token-0001";

    @TempDir
    Path dir;

    @Test
    void aCallersUploadSlotsAreSharedByBothPortsAndEveryCallIsLogged() throws Exception {
        java.util.Queue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.packageOf("scale_bias.onnx", models);
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " ana roles=infer\n");
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"))) {
            ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).grpcPort(0).tokensFile(tokens)
                    .uploadLimits(new UploadLimits(1, 2L << 30, 64L << 20, Duration.ofSeconds(60))).accessLog(log::add)
                    .build(), engine);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().getAsInt())
                    .usePlaintext().build();
            try {
                Metadata bearer = new Metadata();
                bearer.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer));
                ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("scale-bias")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                                .addShape(1).addShape(1))
                        .addRawInputContents(ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                                .putFloat(0, 3f))).build();
                assertEquals(1, stub.modelInfer(request).getOutputsCount(), "one slot, free");
                Socket stalled = stall(server.port());
                try {
                    // Once ana's one slot is held by the stalled HTTP body, her next HTTP post is refused...
                    HttpClient http = HttpClient.newHttpClient();
                    int status = 0;
                    for (long end = System.nanoTime() + 20_000_000_000L; status != 503 && System.nanoTime() < end; ) {
                        if (stalled.getInputStream().available() > 0) {
                            // Its head arrived while a post held the slot, so it was the one refused: stall again.
                            stalled.close();
                            stalled = stall(server.port());
                        }
                        status = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/v2/models/scale-bias/infer"))
                                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    }
                    assertEquals(503, status, "the stalled body holds ana's slot");
                    // ...and so is her gRPC call, with the gate's own reason.
                    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(request));
                    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
                    assertTrue(refused.getStatus().getDescription().contains("ana already has 1 uploads in progress"),
                            refused.getStatus().getDescription());
                } finally {
                    stalled.close();
                }
                // The stalled connection closed gives the slot back: the gRPC call is served again.
                StatusRuntimeException last = null;
                for (long end = System.nanoTime() + 10_000_000_000L; System.nanoTime() < end; ) {
                    try {
                        assertEquals(7f, stub.modelInfer(request).getRawOutputContents(0).asReadOnlyByteBuffer()
                                .order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
                        last = null;
                        break;
                    } catch (StatusRuntimeException e) {
                        last = e;
                    }
                }
                assertEquals(null, last, "served once the slot is back");
                assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc.newBlockingStub(channel)
                        .modelInfer(request));
                String method = " GRPC /inference.GRPCInferenceService/ModelInfer model=scale-bias version=- ";
                assertTrue(log.stream().anyMatch(l -> l.contains(" user=ana" + method + "route=local-cpu status=OK ms=")),
                        log.toString());
                assertTrue(log.stream().anyMatch(l -> l.contains(" user=ana" + method + "status=UNAVAILABLE ms=")),
                        log.toString());
                assertTrue(log.stream().anyMatch(l -> l.contains(" user=- GRPC /inference.GRPCInferenceService/ModelInfer"
                        + " status=UNAUTHENTICATED ms=")), log.toString());
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                server.close();
            }
        }
    }

    /** A request head and the start of a body that never ends, from ana. */
    private static Socket stall(int port) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v2/models/scale-bias/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 100000\r\n\r\n{\"inputs\": [")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
