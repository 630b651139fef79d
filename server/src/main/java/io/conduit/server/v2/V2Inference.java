package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InputValidator;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.protocol.ProtocolException;
import io.conduit.core.protocol.TensorAllocator;
import io.conduit.core.registry.ArtistContext;
import io.conduit.core.registry.Registry;
import io.conduit.core.tensor.BufferPool;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.ServerMetrics;
import io.conduit.server.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The one inference path of the service, whatever protocol carried the request: the V2 HTTP handler and
 * the gRPC service decode their messages into an {@link InferRequest} and hand it here, so both resolve
 * the model the same way, check the caller's package digest, validate the inputs against the manifest,
 * queue on the model's {@link ModelScheduler}, answer the same parameters and record the same metrics and
 * telemetry. What differs between the protocols is only how bytes arrive and leave.
 */
public final class V2Inference {
    public static final String SERVER_NAME = "conduit";
    public static final String SERVER_VERSION = "0.1.0";
    /** The protocol extensions server metadata lists: Triton's binary tensors over HTTP. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data");
    /** What a model's metadata names as its platform, as Triton names its ONNX Runtime backend. */
    public static final String PLATFORM = "onnxruntime_onnx";
    /** Route and reason of each inference, in the response's parameters. */
    public static final String ROUTE_PARAMETER = "conduit_route";
    public static final String REASON_PARAMETER = "conduit_reason";
    /** The model's own run time in milliseconds, so a caller can tell it from transfer and queueing. */
    public static final String COMPUTE_PARAMETER = "conduit_compute_ms";
    /** Which registry rule chose the version of a model named without one. */
    public static final String RESOLVED_PARAMETER = "conduit_resolved_by";

    private final ModelRepository repository;
    private final Map<ModelPackage, ModelScheduler> schedulers;
    private final ServerMetrics metrics;
    private final BufferPool buffers;
    private final Registry registry;
    /** Who recorded the telemetry: "agent" or "service". */
    private volatile String source = "service";

    public V2Inference(ModelRepository repository, Map<ModelPackage, ModelScheduler> schedulers, ServerMetrics metrics,
                BufferPool buffers, Registry registry) {
        this.repository = repository;
        this.schedulers = schedulers;
        this.metrics = metrics;
        this.buffers = buffers;
        this.registry = registry;
    }

    /** Marks the telemetry recorded here as coming from {@code source} (the agent's). */
    public void recordAs(String source) {
        this.source = source;
    }

    /** A model version and, for a bare name resolved by the registry's rollout rules, the rule that chose it. */
    public record Resolved(ModelPackage model, String resolvedBy) {
    }

    /**
     * The package {@code name} at {@code version} (semantic or Triton's integer); with no version and a
     * registry, the version the registry's rules give {@code artist}, else the newest.
     */
    public Resolved resolve(String name, String version, java.util.function.Supplier<ArtistContext> artist) {
        return pick(name, version, artist).resolved();
    }

    /**
     * The version {@link #resolve} picks, in whatever state it is (loading, ready or unavailable), for
     * readiness and metadata, which answer for a model that cannot run yet.
     */
    Picked pick(String name, String version, java.util.function.Supplier<ArtistContext> artist) {
        String resolvedBy = "";
        if ((version == null || version.isEmpty()) && registry != null) {
            var resolution = registry.resolve(name, artist.get());
            version = resolution.version().toString();
            resolvedBy = resolution.chosenBy();
        }
        return new Picked(repository.slot(name, version), resolvedBy);
    }

    /** Whether the version {@link #resolve} picks has loaded (for gRPC's ModelReady); unknown ones are refused. */
    public boolean loaded(String name, String version, java.util.function.Supplier<ArtistContext> artist) {
        return pick(name, version, artist).slot().state() == ModelState.READY;
    }

    /** Whether every configured version has finished loading, ready or failed: the server's readiness waits for it. */
    public boolean allLoaded() {
        return repository.slots().stream().noneMatch(slot -> slot.state() == ModelState.LOADING);
    }

    /** A picked version and, for a bare name resolved by the registry's rules, the rule that chose it. */
    record Picked(ModelSlot slot, String resolvedBy) {
        /** The loaded package; 503 {@code CDT-MODEL-NOT-READY} while it loads or when it failed. */
        Resolved resolved() {
            return new Resolved(slot.require(), resolvedBy);
        }
    }

    /** The versions of {@code name} this service holds, oldest first. */
    public List<String> versions(String name) {
        return repository.versions(name).stream().map(Object::toString).toList();
    }

    /** Where decoders put request tensors: the service's buffer pool, which takes them back after the answer. */
    public TensorAllocator allocator() {
        return TensorAllocator.of(buffers::acquire, buffers::release); // outgrown buffers go back to the pool
    }

    /** Starts one inference of {@code model}; close it once the answer is written, or failed. */
    public Call begin(Resolved model) {
        return new Call(model);
    }

    /**
     * One inference from request to answer: read, run, answered (or failed), closed. Times the transfer
     * (reading and writing) apart from the queue and the model, and gives every tensor's buffer back to
     * the pool on close.
     */
    public final class Call implements AutoCloseable {
        private final Resolved resolved;
        private final Manifest manifest;
        private final long started = System.nanoTime();
        private long read = started;
        private long computed = started;
        private InferRequest request;
        private InferenceResult result;

        private Call(Resolved resolved) {
            this.resolved = resolved;
            this.manifest = resolved.model().manifest();
            metrics.request(manifest.name(), manifest.version().toString());
        }

        /** The decoded request: its tensors are this call's to give back. */
        public void read(InferRequest request) {
            this.request = request;
            this.read = System.nanoTime();
        }

        /**
         * Runs the request on the model's scheduler. {@code callerDigest} (null or blank: not checked) must
         * be the served package's digest; {@code device} is the caller's route preference.
         */
        public InferResponse run(String callerDigest, DevicePreference device) throws InterruptedException {
            if (request == null) {
                throw new IllegalStateException("run before read");
            }
            ModelPackage model = resolved.model();
            if (callerDigest != null && !callerDigest.isBlank() && !callerDigest.trim().equals(model.digest())) {
                throw PackageDigest.mismatch(manifest.coordinate(), "the service", model.digest(), callerDigest.trim());
            }
            Map<String, Tensor> inputs = request.inputMap();
            InputValidator.validate(manifest, inputs);
            Set<String> wanted = requestedOutputs();
            result = await(schedulers.get(model).submit(inputs, device));
            computed = System.nanoTime();
            List<NamedTensor> outputs = new ArrayList<>();
            result.outputs().forEach((outName, tensor) -> {
                if (wanted.contains(outName)) {
                    outputs.add(new NamedTensor(outName, tensor));
                }
            });
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put(ROUTE_PARAMETER, route());
            parameters.put(REASON_PARAMETER, result.route().reason());
            parameters.put(COMPUTE_PARAMETER, String.format(Locale.ROOT, "%.3f", result.computeNanos() / 1e6));
            parameters.put(PackageDigest.PARAMETER, model.digest());
            if (!resolved.resolvedBy().isEmpty()) {
                parameters.put(RESOLVED_PARAMETER, resolved.resolvedBy());
            }
            return new InferResponse(manifest.name(), manifest.version().toString(), request.id(), outputs, parameters);
        }

        /** The route the model ran on ("gpu", "cpu", ...), once {@link #run} returned. */
        public String route() {
            return result.route().route().label();
        }

        /** The answer is written: records the call's metrics and telemetry. */
        public void answered() {
            long done = System.nanoTime();
            metrics.sample(new Telemetry.Sample(Instant.now(), source, manifest.name(), manifest.version().toString(),
                    route(), result.route().endpoint(), (result.totalNanos() - result.computeNanos()) / 1e6,
                    ((read - started) + (done - computed)) / 1e6, result.computeNanos() / 1e6, (done - started) / 1e6,
                    inputBytes(), "", result.route().fallback()));
        }

        /** The call was refused or failed with {@code e}: records it under its code. */
        public void failed(ConduitException e) {
            String version = manifest.version().toString();
            metrics.failure(manifest.name(), version, e.code().searchCode());
            metrics.sample(new Telemetry.Sample(Instant.now(), source, manifest.name(), version, "", "", 0, 0, 0,
                    (System.nanoTime() - started) / 1e6, inputBytes(), e.code().searchCode(), false));
        }

        /** Every tensor of the exchange goes back to the pool, each buffer once. */
        @Override
        public void close() {
            Set<ByteBuffer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Tensor> tensors = new ArrayList<>();
            if (request != null) {
                request.inputs().forEach(t -> tensors.add(t.tensor()));
            }
            if (result != null) {
                tensors.addAll(result.outputs().values());
            }
            for (Tensor t : tensors) {
                ByteBuffer backing = t.backingBuffer();
                if (backing != null && seen.add(backing)) { // strings (BYTES) hold no pooled buffer
                    buffers.release(backing);
                }
            }
        }

        private long inputBytes() {
            long bytes = 0;
            if (request != null) {
                for (NamedTensor t : request.inputs()) {
                    bytes += t.tensor().byteCount();
                }
            }
            return bytes;
        }

        private Set<String> requestedOutputs() {
            Set<String> all = new HashSet<>(manifest.outputs().stream().map(TensorSpec::name).toList());
            if (request.outputs().isEmpty()) {
                return all;
            }
            Set<String> wanted = new HashSet<>();
            for (InferRequest.OutputRequest output : request.outputs()) {
                if (!all.contains(output.name())) {
                    throw new ProtocolException("unknown output \"" + output.name() + "\" for " + manifest.coordinate()
                            + "; expected one of " + manifest.outputs().stream().map(TensorSpec::name).toList());
                }
                wanted.add(output.name());
            }
            return wanted;
        }
    }

    private static InferenceResult await(CompletableFuture<InferenceResult> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException conduit) {
                throw conduit;
            }
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, "inference failed: " + e.getCause(), e.getCause());
        }
    }
}
