package io.conduit.server.grpc;

import com.google.protobuf.TextFormat;
import com.google.protobuf.util.JsonFormat;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.registry.ArtistContext;
import io.conduit.server.http.Caller;
import io.conduit.server.http.UploadGate;
import io.conduit.server.v2.TritonHandler;
import io.conduit.server.v2.V2Inference;
import io.conduit.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.conduit.server.grpc.proto.ModelConfig;
import io.conduit.server.grpc.proto.ModelConfigRequest;
import io.conduit.server.grpc.proto.ModelConfigResponse;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.grpc.proto.ModelInferResponse;
import io.conduit.server.grpc.proto.ModelMetadataRequest;
import io.conduit.server.grpc.proto.ModelMetadataResponse;
import io.conduit.server.grpc.proto.ModelReadyRequest;
import io.conduit.server.grpc.proto.ModelReadyResponse;
import io.conduit.server.grpc.proto.ModelStatisticsRequest;
import io.conduit.server.grpc.proto.ModelStatisticsResponse;
import io.conduit.server.grpc.proto.ServerLiveRequest;
import io.conduit.server.grpc.proto.ServerLiveResponse;
import io.conduit.server.grpc.proto.ServerMetadataRequest;
import io.conduit.server.grpc.proto.ServerMetadataResponse;
import io.conduit.server.grpc.proto.ServerReadyRequest;
import io.conduit.server.grpc.proto.ServerReadyResponse;
import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code inference.GRPCInferenceService} over the service's {@link V2Inference}: each RPC decodes its
 * message, runs exactly what the V2 HTTP handler runs for the same request, and encodes the answer. The
 * package digest travels in the request's and the response's {@code conduit_package_digest} parameter
 * (or the {@code conduit-package-digest} metadata, as the HTTP header); the device preference in
 * {@code conduit-device}. Failures end the call with the status {@link GrpcStatus} gives their code.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private static final Metadata.Key<String> DIGEST = Metadata.Key.of(
            io.conduit.core.protocol.PackageDigest.HEADER.toLowerCase(java.util.Locale.ROOT),
            Metadata.ASCII_STRING_MARSHALLER);

    private final V2Inference inference;
    private final UploadGate uploads;
    private final TritonHandler triton;
    private final BooleanSupplier ready;

    /**
     * {@code uploads}: the HTTP port's gate, whose per-caller slots and byte budget each message takes too;
     * {@code triton}: the HTTP port's Triton endpoints, whose configuration and statistics the gRPC port answers;
     * {@code ready}: whether the server takes inference requests now (the HTTP readiness, GPU gate included).
     */
    GrpcInferenceService(V2Inference inference, UploadGate uploads, TritonHandler triton, BooleanSupplier ready) {
        this.inference = inference;
        this.uploads = uploads;
        this.triton = triton;
        this.ready = ready;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
        reply(answer, "ServerLive", () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
        reply(answer, "ServerReady", () -> ServerReadyResponse.newBuilder()
                .setReady(ready.getAsBoolean() && inference.allLoaded()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
        reply(answer, "ModelReady", () -> {
            // NOT_FOUND for a model this server lacks; not ready while it loads or when it failed to
            boolean loaded = inference.loaded(request.getName(), request.getVersion(), () -> artist(GrpcAuth.HEADERS.get()));
            return ModelReadyResponse.newBuilder().setReady(ready.getAsBoolean() && loaded).build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
        reply(answer, "ServerMetadata", () -> ServerMetadataResponse.newBuilder().setName(V2Inference.SERVER_NAME)
                .setVersion(V2Inference.SERVER_VERSION).addAllExtensions(V2Inference.EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
        reply(answer, "ModelMetadata", () -> {
            Manifest m = resolve(request.getName(), request.getVersion()).model().manifest();
            return ModelMetadataResponse.newBuilder().setName(m.name()).addAllVersions(inference.versions(m.name()))
                    .setPlatform(V2Inference.PLATFORM).addAllInputs(tensors(m.inputs()))
                    .addAllOutputs(tensors(m.outputs())).build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
        reply(answer, "ModelInfer", () -> {
            Runnable release = uploads.admit(GrpcAuth.CALLER.get(), GrpcAuth.ADDRESS.get(), request.getSerializedSize());
            try (V2Inference.Call call = inference.begin(resolve(request.getModelName(), request.getModelVersion()))) {
                try {
                    InferRequest decoded = GrpcTensors.request(request, inference.allocator());
                    call.read(decoded);
                    InferResponse result = call.run(digest(request), device());
                    GrpcAccessLog.Entry.route(call.route());
                    ModelInferResponse encoded = GrpcTensors.response(result);
                    answer.onNext(encoded);
                    call.answered();
                    return null;
                } catch (ConduitException e) {
                    call.failed(e);
                    throw e;
                }
            } finally {
                release.run();
            }
        });
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> answer) {
        reply(answer, "ModelConfig", () -> {
            // The text form Triton reads from config.pbtxt, parsed strictly: a field this schema lacks fails here.
            ModelConfig.Builder config = ModelConfig.newBuilder();
            TextFormat.merge(triton.config(request.getName(), request.getVersion()).toPbtxt(), config);
            return ModelConfigResponse.newBuilder().setConfig(config).build();
        });
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> answer) {
        reply(answer, "ModelStatistics", () -> {
            ModelStatisticsResponse.Builder stats = ModelStatisticsResponse.newBuilder();
            JsonFormat.parser().merge(triton.statistics(request.getName(), request.getVersion()).toString(), stats);
            return stats.build();
        });
    }

    private V2Inference.Resolved resolve(String name, String version) {
        Metadata headers = GrpcAuth.HEADERS.get();
        return inference.resolve(name, version, () -> artist(headers));
    }

    private static ArtistContext artist(Metadata headers) {
        Caller caller = GrpcAuth.CALLER.get();
        return new ArtistContext(GrpcAuth.value(headers, GrpcAuth.SHOW), GrpcAuth.value(headers, GrpcAuth.DEPARTMENT),
                caller == null ? "anonymous" : caller.user());
    }

    private static String digest(ModelInferRequest request) {
        String parameter = GrpcTensors.packageDigest(request);
        return parameter != null ? parameter : GrpcAuth.value(GrpcAuth.HEADERS.get(), DIGEST);
    }

    private static DevicePreference device() {
        String asked = GrpcAuth.value(GrpcAuth.HEADERS.get(), GrpcAuth.DEVICE);
        return asked == null ? DevicePreference.AUTO : DevicePreference.parse(asked);
    }

    private static List<ModelMetadataResponse.TensorMetadata> tensors(List<TensorSpec> specs) {
        return specs.stream().map(s -> {
            ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(s.name()).setDatatype(s.datatype().name());
            for (long axis : s.shape()) {
                t.addShape(axis);
            }
            return t.build();
        }).toList();
    }

    /** Work that answers one message, or null when it answered itself. */
    @FunctionalInterface
    private interface Answer<A> {
        A get() throws Exception;
    }

    /** Runs {@code work} and ends the call: its message, or the status of what it threw. */
    private static <A> void reply(StreamObserver<A> observer, String rpc, Answer<A> work) {
        try {
            A message = work.get();
            if (message != null) {
                observer.onNext(message);
            }
            observer.onCompleted();
        } catch (ConduitException e) {
            observer.onError(GrpcStatus.refusal(e, rpc));
        } catch (OutOfMemoryError e) {
            observer.onError(GrpcStatus.refusal(new ConduitException(ErrorCode.OVERLOADED, "the server is out of"
                    + " memory for this request; retry later or send a smaller one"), rpc));
        } catch (io.grpc.StatusRuntimeException e) {
            // The caller cancelled or went away while we answered; nothing more can be said to it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observer.onError(GrpcStatus.refusal(new ConduitException(ErrorCode.OVERLOADED,
                    "the server is shutting down; retry on another"), rpc));
        } catch (Exception e) {
            observer.onError(GrpcStatus.internal(ErrorCode.INTERNAL, e, rpc));
        }
    }
}
