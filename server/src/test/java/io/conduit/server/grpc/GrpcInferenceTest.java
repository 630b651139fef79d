package io.conduit.server.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.conduit.server.grpc.proto.InferParameter;
import io.conduit.server.grpc.proto.InferTensorContents;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.grpc.proto.ModelInferResponse;
import io.conduit.server.grpc.proto.ModelMetadataRequest;
import io.conduit.server.grpc.proto.ModelMetadataResponse;
import io.conduit.server.grpc.proto.ModelReadyRequest;
import io.conduit.server.grpc.proto.ServerLiveRequest;
import io.conduit.server.grpc.proto.ServerMetadataRequest;
import io.conduit.server.grpc.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit serve}'s gRPC port on loopback, called through grpc-java's generated client stub as
 * Triton's clients call it, checked against the binary HTTP port of the same server: the same models give
 * the same output bytes, the same tokens and roles are admitted and refused, and the protocol's failures
 * come back as the gRPC codes a client acts on.
 */
class GrpcInferenceTest {
    private static final String INFER_TOKEN = "grpc-infer-token-0001";
    private static final String FEEDBACK_TOKEN = "grpc-feedback-token-01";
    private static final String ABC_TOKEN = "grpc-abc-show-token-01";
    private static final int MAX_REQUEST = 1 << 20;

    @TempDir
    static Path dir;

    private static LocalEngine engine;
    private static ConduitServer server;
    private static ManagedChannel channel;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        for (String model : new String[] {"scale_bias.onnx", "all_types.onnx", "wide_types.onnx", "to_half.onnx",
                "strings.onnx"}) {
            TestModels.packageOf(model, models);
        }
        Path tokens = Files.writeString(dir.resolve("tokens"), INFER_TOKEN + " ana roles=infer\n"
                + FEEDBACK_TOKEN + " bo roles=feedback\n" + ABC_TOKEN + " cy roles=infer shows=ABC\n");
        engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"));
        server = ConduitServer.start(ServerConfig.builder(models).port(0).grpcPort(0).tokensFile(tokens)
                .maxRequestBytes(MAX_REQUEST).build(), engine);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().getAsInt()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String token, String... headers) {
        Metadata metadata = new Metadata();
        if (token != null) {
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            metadata.put(Metadata.Key.of(headers[i], Metadata.ASCII_STRING_MARSHALLER), headers[i + 1]);
        }
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void binaryHttpAndGrpcAnswerTheSameBytesForEveryDatatype() throws Exception {
        Random random = new Random(16);
        List<Map.Entry<String, List<NamedTensor>>> cases = new java.util.ArrayList<>();
        cases.add(Map.entry("scale-bias", List.of(named("x", random, DataType.FP32, 2, 3))));
        cases.add(Map.entry("scale-bias", List.of(named("x", random, DataType.FP32, 0, 3)))); // zero rows run too
        cases.add(Map.entry("strings", List.of(new NamedTensor("words", Tensor.ofStrings(new long[] {4},
                "cat", "dög 🐕", "", "dog")))));
        cases.add(Map.entry("all-types", List.of(named("f16", random, DataType.FP16, 5), named("i32", random, DataType.INT32, 4),
                named("i64", random, DataType.INT64, 3), named("u8", random, DataType.UINT8, 6),
                named("b", random, DataType.BOOL, 7))));
        cases.add(Map.entry("wide-types", List.of(named("f64", random, DataType.FP64, 3), named("i8", random, DataType.INT8, 4),
                named("i16", random, DataType.INT16, 5), named("bf16", random, DataType.BF16, 2))));
        cases.add(Map.entry("to-half", List.of(named("x", random, DataType.FP32, 9))));
        int compared = 0;
        for (Map.Entry<String, List<NamedTensor>> c : cases) {
            InferResponse http = httpBinary(c.getKey(), c.getValue());
            ModelInferResponse grpc = stub(INFER_TOKEN).modelInfer(rawRequest(c.getKey(), c.getValue()).build());
            assertEquals(http.outputs().size(), grpc.getOutputsCount(), c.getKey());
            assertEquals(grpc.getOutputsCount(), grpc.getRawOutputContentsCount(), c.getKey());
            for (int i = 0; i < grpc.getOutputsCount(); i++) {
                ModelInferResponse.InferOutputTensor out = grpc.getOutputs(i);
                Tensor expected = http.outputMap().get(out.getName());
                String what = c.getKey() + " " + out.getName();
                assertEquals(expected.type().name(), out.getDatatype(), what);
                assertArrayEquals(expected.shape(), out.getShapeList().stream().mapToLong(Long::longValue).toArray(), what);
                assertArrayEquals(bytes(expected), grpc.getRawOutputContents(i).toByteArray(), what);
                compared++;
            }
            assertEquals(http.parameters().get(PackageDigest.PARAMETER),
                    grpc.getParametersOrThrow(PackageDigest.PARAMETER).getStringParam(), c.getKey());
            assertEquals(http.parameters().get("conduit_route"), grpc.getParametersOrThrow("conduit_route").getStringParam());
            assertEquals(http.modelVersion(), grpc.getModelVersion());
        }
        assertEquals(1 + 1 + 3 + 5 + 7 + 1, compared, "every output of every model");
        // The model really ran: y = 2x + 1.
        ModelInferResponse scaled = stub(INFER_TOKEN).modelInfer(rawRequest("scale-bias",
                List.of(new NamedTensor("x", Tensor.ofFloats(new long[] {1, 2}, 1.5f, -4f)))).build());
        FloatArray y = new FloatArray(scaled.getRawOutputContents(0));
        assertEquals(4f, y.get(0));
        assertEquals(-7f, y.get(1));
    }

    @Test
    void tritonsOwnClientStubGetsTheBinaryHttpAnswer() throws Exception {
        // Stub and messages generated from Triton's grpc_service.proto, as Triton's own clients are built.
        var triton = inference.GRPCInferenceServiceGrpc.newBlockingStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(bearer(INFER_TOKEN))).withDeadlineAfter(60, TimeUnit.SECONDS);
        assertTrue(triton.serverLive(inference.GrpcService.ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(triton.serverReady(inference.GrpcService.ServerReadyRequest.getDefaultInstance()).getReady());
        var metadata = triton.modelMetadata(inference.GrpcService.ModelMetadataRequest.newBuilder().setName("all-types").build());
        assertEquals(List.of("f16", "i32", "i64", "u8", "b"), metadata.getInputsList().stream()
                .map(inference.GrpcService.ModelMetadataResponse.TensorMetadata::getName).toList());
        List<NamedTensor> inputs = List.of(named("f16", new Random(3), DataType.FP16, 4),
                named("i32", new Random(4), DataType.INT32, 2), named("i64", new Random(5), DataType.INT64, 3),
                named("u8", new Random(6), DataType.UINT8, 5), named("b", new Random(7), DataType.BOOL, 6));
        var request = inference.GrpcService.ModelInferRequest.parseFrom(rawRequest("all-types", inputs).build().toByteArray())
                .toBuilder().setModelVersion("1")
                .putParameters("priority", inference.GrpcService.InferParameter.newBuilder().setUint64Param(1).build())
                .build();
        var answer = triton.modelInfer(request);
        InferResponse http = httpBinary("all-types", inputs);
        assertEquals(5, answer.getRawOutputContentsCount());
        for (int i = 0; i < answer.getOutputsCount(); i++) {
            assertArrayEquals(bytes(http.outputMap().get(answer.getOutputs(i).getName())),
                    answer.getRawOutputContents(i).toByteArray(), answer.getOutputs(i).getName());
        }
        // ModelConfig, decoded with Triton's full model_config.proto, is the HTTP config endpoint's answer.
        for (String model : List.of("all-types", "scale-bias", "to-half", "strings")) {
            var config = triton.modelConfig(inference.GrpcService.ModelConfigRequest.newBuilder().setName(model).build())
                    .getConfig();
            HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/v2/models/" + model
                    + "/config")).header("Authorization", "Bearer " + INFER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            inference.ModelConfigOuterClass.ModelConfig.Builder expected = inference.ModelConfigOuterClass.ModelConfig.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().merge(json.body(), expected);
            assertEquals(expected.build(), config, model);
            assertTrue(config.getParametersMap().containsKey("conduit_version_1"), config.toString());
            assertEquals(config, triton.modelConfig(inference.GrpcService.ModelConfigRequest.newBuilder().setName(model)
                    .setVersion("1").build()).getConfig());
        }
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> triton.modelConfig(
                inference.GrpcService.ModelConfigRequest.newBuilder().setName("nope").build())).getStatus().getCode());
        // ModelStatistics, decoded with Triton's schema, is the HTTP statistics endpoint's answer.
        for (String path : List.of("/v2/models/all-types/stats", "/v2/models/stats")) {
            var stats = triton.modelStatistics(inference.GrpcService.ModelStatisticsRequest.newBuilder()
                    .setName(path.equals("/v2/models/stats") ? "" : "all-types").build());
            HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                    .header("Authorization", "Bearer " + INFER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            var expected = inference.GrpcService.ModelStatisticsResponse.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().merge(json.body(), expected);
            assertEquals(expected.build(), stats, path);
            assertTrue(stats.getModelStats(0).getInferenceCount() > 0 || !path.contains("all-types"), stats.toString());
        }
        // Triton's RPCs beyond these are not served (their HTTP forms are).
        StatusRuntimeException index = assertThrows(StatusRuntimeException.class, () -> triton.repositoryIndex(
                inference.GrpcService.RepositoryIndexRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNIMPLEMENTED, index.getStatus().getCode());
    }

    private static Metadata bearer(String token) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return metadata;
    }

    @Test
    void typedContentsGiveTheSameBytesAsRawContents() {
        // End to end: FP32 values typed or raw run to the same output bytes.
        ModelInferRequest typed = ModelInferRequest.newBuilder().setModelName("scale-bias")
                .addInputs(typedInput("x", "FP32", InferTensorContents.newBuilder().addFp32Contents(1.5f)
                        .addFp32Contents(-0f).addFp32Contents(Float.MAX_VALUE), 1, 3)).build();
        ModelInferResponse fromTyped = stub(INFER_TOKEN).modelInfer(typed);
        ModelInferResponse fromRaw = stub(INFER_TOKEN).modelInfer(rawRequest("scale-bias", List.of(new NamedTensor("x",
                Tensor.ofFloats(new long[] {1, 3}, 1.5f, -0f, Float.MAX_VALUE)))).build());
        assertEquals(fromRaw.getRawOutputContents(0), fromTyped.getRawOutputContents(0));

        // Every typed family decodes to the little-endian bytes raw contents would carry.
        ModelInferRequest all = ModelInferRequest.newBuilder().setModelName("any")
                .addInputs(typedInput("i64", "INT64", InferTensorContents.newBuilder().addInt64Contents(Long.MIN_VALUE)
                        .addInt64Contents(-1).addInt64Contents(42), 3))
                .addInputs(typedInput("b", "BOOL", InferTensorContents.newBuilder().addBoolContents(true)
                        .addBoolContents(false).addBoolContents(true), 3))
                .addInputs(typedInput("i16", "INT16", InferTensorContents.newBuilder().addIntContents(-2), 1))
                .addInputs(typedInput("u8", "UINT8", InferTensorContents.newBuilder().addUintContents(200), 1))
                .addInputs(typedInput("u64", "UINT64", InferTensorContents.newBuilder().addUint64Contents(-1L), 1))
                .addInputs(typedInput("f64", "FP64", InferTensorContents.newBuilder().addFp64Contents(0.1), 1)).build();
        Map<String, Tensor> decoded = GrpcTensors.request(all, (name, size) -> ByteBuffer.allocateDirect(size)).inputMap();
        assertArrayEquals(le(24).putLong(Long.MIN_VALUE).putLong(-1).putLong(42).array(), bytes(decoded.get("i64")));
        assertArrayEquals(new byte[] {1, 0, 1}, bytes(decoded.get("b")));
        assertArrayEquals(le(2).putShort((short) -2).array(), bytes(decoded.get("i16")));
        assertArrayEquals(new byte[] {(byte) 200}, bytes(decoded.get("u8")));
        assertArrayEquals(le(8).putLong(-1L).array(), bytes(decoded.get("u64")));
        assertArrayEquals(le(8).putDouble(0.1).array(), bytes(decoded.get("f64")));
        assertEquals(DataType.UINT64, decoded.get("u64").type());

        // Strings typed as bytes_contents run as their raw form does; bytes that are not UTF-8 are refused.
        ModelInferResponse typedWords = stub(INFER_TOKEN).modelInfer(ModelInferRequest.newBuilder().setModelName("strings")
                .addInputs(typedInput("words", "BYTES", InferTensorContents.newBuilder().addBytesContents(
                        ByteString.copyFromUtf8("dog")).addBytesContents(ByteString.copyFromUtf8("cat")), 2)).build());
        ModelInferResponse rawWords = stub(INFER_TOKEN).modelInfer(rawRequest("strings", List.of(new NamedTensor("words",
                Tensor.ofStrings(new long[] {2}, "dog", "cat")))).build());
        assertEquals(rawWords.getRawOutputContentsList(), typedWords.getRawOutputContentsList());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("strings").addInputs(typedInput("words", "BYTES", InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFrom(new byte[] {(byte) 0xff})), 1)).build()),
                "input \"words\": string 0 is not UTF-8 text");

        // FP16 has no typed form in the protocol: refused, naming the way that works.
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("to-half").addInputs(typedInput("x", "FP16", InferTensorContents.newBuilder(), 1)).build()),
                "input \"x\": FP16 has no typed contents in the protocol; send it in raw_input_contents");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("scale-bias").addInputs(typedInput("x", "FP32", InferTensorContents.newBuilder()
                        .addFp32Contents(1f).addInt64Contents(2), 1, 1)).build()),
                "a FP32 tensor's values belong in contents.fp32_contents alone");
        // Raw and typed contents in one request are refused.
        ModelInferRequest.Builder mixed = rawRequest("scale-bias", List.of(new NamedTensor("x",
                Tensor.ofFloats(new long[] {1, 1}, 1f))));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(mixed.setInputs(0,
                mixed.getInputs(0).toBuilder().setContents(InferTensorContents.newBuilder().addFp32Contents(1f))).build()),
                "expected every input in one form");
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void tokensAndRolesAreTheHttpPortsOwn() {
        ModelInferRequest request = rawRequest("scale-bias",
                List.of(new NamedTensor("x", Tensor.ofFloats(new long[] {1, 1}, 1f)))).build();
        assertCode(Status.Code.UNAUTHENTICATED, () -> stub(null).modelInfer(request), "needs an Authorization: Bearer token");
        assertCode(Status.Code.UNAUTHENTICATED, () -> stub("not-a-listed-token-at-all").modelInfer(request),
                "needs an Authorization: Bearer token");
        assertCode(Status.Code.PERMISSION_DENIED, () -> stub(FEEDBACK_TOKEN).modelInfer(request),
                "ModelInfer needs the infer role; the token of bo (feedback) lacks it");
        assertCode(Status.Code.PERMISSION_DENIED, () -> stub(ABC_TOKEN, "conduit-show", "XYZ").modelInfer(request),
                "may not act in show XYZ");
        assertCode(Status.Code.UNAUTHENTICATED, () -> stub(null).modelMetadata(
                ModelMetadataRequest.newBuilder().setName("scale-bias").build()), "Bearer token");
        // Metadata needs any valid token; health needs none, as on HTTP.
        assertEquals("scale-bias", stub(FEEDBACK_TOKEN).modelMetadata(
                ModelMetadataRequest.newBuilder().setName("scale-bias").build()).getName());
        assertTrue(stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub(null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals(1, stub(ABC_TOKEN, "conduit-show", "ABC").modelInfer(request).getOutputsCount());
        assertEquals(1, stub(INFER_TOKEN).modelInfer(request).getOutputsCount());
    }

    @Test
    void anOversizedMessageIsRefusedAndTheNextCallStillServed() {
        int floats = MAX_REQUEST / 4 + 1024;
        ModelInferRequest big = ModelInferRequest.newBuilder().setModelName("scale-bias")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(floats))
                .addRawInputContents(ByteString.copyFrom(new byte[floats * 4])).build();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub(INFER_TOKEN).modelInfer(big));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode(), refused.toString());
        assertEquals(1, stub(INFER_TOKEN).modelInfer(rawRequest("scale-bias",
                List.of(new NamedTensor("x", Tensor.ofFloats(new long[] {1, 1}, 1f)))).build()).getOutputsCount());
    }

    @Test
    void unknownModelsVersionsAndMalformedMessagesGetTheirCodes() {
        ModelInferRequest.Builder request = rawRequest("scale-bias",
                List.of(new NamedTensor("x", Tensor.ofFloats(new long[] {1, 2}, 1f, 2f))));
        StatusRuntimeException unknown = assertCode(Status.Code.NOT_FOUND,
                () -> stub(INFER_TOKEN).modelInfer(request.clone().setModelName("nope").build()), "unknown model \"nope\"");
        assertEquals("CDT-MODEL-NOT-FOUND", unknown.getTrailers().get(
                Metadata.Key.of(GrpcStatus.CODE_KEY, Metadata.ASCII_STRING_MARSHALLER)));
        assertCode(Status.Code.NOT_FOUND, () -> stub(INFER_TOKEN).modelInfer(request.clone().setModelVersion("9.9.9").build()),
                "model scale-bias has no version 9.9.9; it has [1.0.0]");
        assertCode(Status.Code.NOT_FOUND, () -> stub(INFER_TOKEN).modelReady(ModelReadyRequest.newBuilder().setName("nope").build()),
                "unknown model");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(request.clone()
                .setRawInputContents(0, ByteString.copyFrom(new byte[4])).build()),
                "input \"x\": raw_input_contents holds 4 bytes but FP32[1, 2] needs 8");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(request.clone()
                .addRawInputContents(ByteString.EMPTY).build()), "raw_input_contents has 2 entries for 1 inputs");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(request.clone()
                .setInputs(0, request.getInputs(0).toBuilder().setDatatype("INT32")).build()), "input \"x\" is INT32; expected FP32");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub(INFER_TOKEN).modelInfer(request.clone()
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("z")).build()),
                "unknown output \"z\" for scale-bias@1.0.0; expected one of [y]");
        // Version by semantic version and by Triton's integer, as the HTTP routes take them.
        assertEquals("1.0.0", stub(INFER_TOKEN).modelInfer(request.clone().setModelVersion("1.0.0").build()).getModelVersion());
        assertEquals("1.0.0", stub(INFER_TOKEN).modelInfer(request.clone().setModelVersion("1").build()).getModelVersion());
    }

    @Test
    void thePackageDigestIsCheckedAndAnsweredInParameters() {
        ModelInferRequest.Builder request = rawRequest("scale-bias",
                List.of(new NamedTensor("x", Tensor.ofFloats(new long[] {1, 1}, 1f))));
        String digest = stub(INFER_TOKEN).modelInfer(request.build()).getParametersOrThrow(PackageDigest.PARAMETER)
                .getStringParam();
        assertEquals(64, digest.length(), digest);
        request.putParameters(PackageDigest.PARAMETER, InferParameter.newBuilder().setStringParam(digest).build());
        assertEquals(digest, stub(INFER_TOKEN).modelInfer(request.build()).getParametersOrThrow(PackageDigest.PARAMETER)
                .getStringParam());
        String other = "0".repeat(64);
        request.putParameters(PackageDigest.PARAMETER, InferParameter.newBuilder().setStringParam(other).build());
        assertCode(Status.Code.FAILED_PRECONDITION, () -> stub(INFER_TOKEN).modelInfer(request.build()),
                "the service holds a different scale-bias@1.0.0");
        request.removeParameters(PackageDigest.PARAMETER);
        assertCode(Status.Code.FAILED_PRECONDITION, () -> stub(INFER_TOKEN, "conduit-package-digest", other)
                .modelInfer(request.build()), "published under one name and version");
    }

    @Test
    void metadataAndReadinessAnswerAsOnHttp() {
        var serverMetadata = stub(INFER_TOKEN).serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertEquals("conduit", serverMetadata.getName());
        ModelMetadataResponse model = stub(INFER_TOKEN).modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("scale-bias").build());
        assertEquals(List.of("1.0.0"), model.getVersionsList());
        assertEquals("onnxruntime_onnx", model.getPlatform());
        assertEquals("x", model.getInputs(0).getName());
        assertEquals("FP32", model.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, -1L), model.getInputs(0).getShapeList());
        assertTrue(stub(INFER_TOKEN).modelReady(ModelReadyRequest.newBuilder().setName("scale-bias").setVersion("1.0.0")
                .build()).getReady());
    }

    private static StatusRuntimeException assertCode(Status.Code code, org.junit.jupiter.api.function.Executable call,
                                                     String message) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertTrue(String.valueOf(e.getStatus().getDescription()).contains(message), e.getStatus().getDescription());
        return e;
    }

    private static ModelInferRequest.InferInputTensor.Builder typedInput(String name, String type,
                                                                         InferTensorContents.Builder contents,
                                                                         long... shape) {
        ModelInferRequest.InferInputTensor.Builder b = ModelInferRequest.InferInputTensor.newBuilder().setName(name)
                .setDatatype(type).setContents(contents);
        for (long d : shape) {
            b.addShape(d);
        }
        return b;
    }

    private static ModelInferRequest.Builder rawRequest(String model, List<NamedTensor> inputs) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model).setId("parity");
        for (NamedTensor t : inputs) {
            ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(t.name()).setDatatype(t.tensor().type().name());
            for (long d : t.tensor().shape()) {
                in.addShape(d);
            }
            b.addInputs(in).addRawInputContents(ByteString.copyFrom(bytes(t.tensor())));
        }
        return b;
    }

    /** The same inputs through the HTTP port's binary tensor extension, answered in binary too. */
    private static InferResponse httpBinary(String model, List<NamedTensor> inputs) throws Exception {
        V2Body body = V2Codec.encodeRequest(new InferRequest("parity", inputs, List.of(), true), true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/v2/models/" + model + "/infer"))
                .header("Authorization", "Bearer " + INFER_TOKEN).header(V2Body.HEADER_LENGTH, String.valueOf(body.header().length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        Long headerLength = r.headers().firstValue(V2Body.HEADER_LENGTH).map(Long::parseLong).orElseThrow(
                () -> new AssertionError("the HTTP answer is not binary"));
        return V2Codec.decodeResponse(new ByteArrayInputStream(r.body()), headerLength);
    }

    private static NamedTensor named(String name, Random random, DataType type, long... shape) {
        Tensor t = Tensor.allocate(type, shape);
        ByteBuffer b = t.bytes();
        for (long i = 0; i < t.elementCount(); i++) {
            double v = (random.nextDouble() - 0.5) * 200;
            switch (type) {
                case BOOL -> b.put((byte) (random.nextBoolean() ? 1 : 0));
                case FP16 -> b.putShort(Half.fromFloat((float) v));
                case BF16 -> b.putShort((short) (Float.floatToIntBits((float) v) >>> 16));
                case FP32 -> b.putFloat((float) v);
                case FP64 -> b.putDouble(v);
                default -> {
                    byte[] raw = new byte[type.byteSize()];
                    random.nextBytes(raw);
                    b.put(raw);
                }
            }
        }
        return new NamedTensor(name, t);
    }

    /** The tensor as raw contents carry it: its bytes, or for strings Triton's length-prefixed layout. */
    private static byte[] bytes(Tensor t) {
        ByteBuffer b = t.type() == DataType.BYTES ? io.conduit.core.protocol.BinaryStrings.encode(t) : t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Little-endian floats of a raw output. */
    private record FloatArray(ByteString raw) {
        float get(int i) {
            return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat(i * 4);
        }
    }
}
