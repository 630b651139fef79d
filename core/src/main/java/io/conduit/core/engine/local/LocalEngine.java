package io.conduit.core.engine.local;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.ConduitException;
import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InputValidator;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.onnx.OrtTypes;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs model packages in this process with ONNX Runtime: on a CUDA GPU when one is usable (driver
 * present, CUDA provider in the build, enough free memory for the manifest's {@code gpuMemoryMiB}),
 * otherwise on the CPU, and says which and why. Sessions are cached per model digest and device and
 * shared across threads. Input tensors backed by direct buffers are handed to ONNX Runtime in place;
 * outputs are copied once out of ONNX Runtime's memory, or written in place into tensors the caller
 * supplies with {@link #runInto}. String (BYTES) tensors are handed over and read back as Java strings.
 */
public final class LocalEngine implements InferenceEngine {
    /** ONNX Runtime's session option for busy-waiting pool threads (onnxruntime_session_options_config_keys.h). */
    public static final String SPINNING_KEY = "session.intra_op.allow_spinning";

    private final LocalEngineConfig config;
    private final GpuProbe probe;
    private final OrtEnvironment env = io.conduit.core.onnx.OrtEnv.get();
    private final SessionCache sessions = new SessionCache();
    private static final java.time.Duration CUDA_RETRY_AFTER = java.time.Duration.ofMinutes(5);
    private final Map<String, CudaFailure> cudaFailures = new java.util.concurrent.ConcurrentHashMap<>();

    public LocalEngine(LocalEngineConfig config, GpuProbe probe) {
        this.config = config;
        this.probe = new CachedGpuProbe(probe, config.probeTtl());
    }

    /** An engine with default settings and the real GPU probe. */
    public static LocalEngine withDefaults() {
        return new LocalEngine(LocalEngineConfig.defaults(), new NvidiaSmiProbe());
    }

    /** Why no local GPU can run this model now, or empty when one can. */
    public java.util.Optional<String> gpuProblem(ModelPackage model) {
        return DeviceSelector.gpuProblem(model.manifest(), probe.probe());
    }

    /** What the GPU probe finds now (cached for the configured time); for {@code conduit doctor}. */
    public GpuStatus gpuStatus() {
        return probe.probe();
    }

    @Override
    public RouteDecision plan(ModelPackage model, DevicePreference device) {
        if (device == DevicePreference.REMOTE) {
            throw new ConduitException(ErrorCode.USAGE, "--device remote needs a remote service: set remote.endpoints"
                    + " (docs/configuration.md) or pass --remote URL");
        }
        if (device == DevicePreference.CPU) {
            return DeviceSelector.select(model.manifest(), device, GpuStatus.none("not probed"));
        }
        return DeviceSelector.select(model.manifest(), device, probe.probe());
    }

    @Override
    public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
        return run(model, inputs, Map.of(), device);
    }

    /**
     * Runs the model writing the named outputs into tensors the caller owns, e.g. buffers reused
     * frame after frame by a batch job: no allocation and no copy for those outputs. Each must have
     * the output's datatype and exactly the shape the model will produce. Outputs not given are
     * returned as {@link #run(ModelPackage, Map, DevicePreference)} returns them.
     */
    public InferenceResult runInto(ModelPackage model, Map<String, Tensor> inputs, Map<String, Tensor> outputs,
                                   DevicePreference device) {
        OutputValidator.validate(model.manifest(), outputs);
        return run(model, inputs, outputs, device);
    }

    private InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, Map<String, Tensor> callerOutputs,
                                DevicePreference device) {
        long start = System.nanoTime();
        Manifest manifest = model.manifest();
        InputValidator.validate(manifest, inputs);
        RouteDecision decision = plan(model, device);
        String digest = model.manifest().modelDigest();
        CudaFailure recent = cudaFailures.get(digest);
        if (decision.route() == Route.LOCAL_GPU && recent != null && !recent.expired(System.nanoTime())) {
            // Creating a CUDA session that failed a moment ago would fail again, slowly: skip it for a while.
            if (device == DevicePreference.GPU) {
                throw new DeviceUnavailableException("gpu", recent.message());
            }
            return runOn(model, RouteDecision.cpu(decision.reason() + ", but " + recent.message()
                    + " (less than " + CUDA_RETRY_AFTER.toMinutes() + " min ago); running on the CPU"), inputs,
                    callerOutputs, start);
        }
        try {
            return runOn(model, decision, inputs, callerOutputs, start);
        } catch (GpuSessionFailure failure) {
            cudaFailures.put(digest, new CudaFailure(failure.getMessage(), System.nanoTime()));
            if (device == DevicePreference.GPU) {
                throw new DeviceUnavailableException("gpu", failure.getMessage(), failure);
            }
            RouteDecision cpu = RouteDecision.cpu(decision.reason() + ", but " + failure.getMessage()
                    + "; fell back to the CPU");
            return runOn(model, cpu, inputs, callerOutputs, start);
        }
    }

    /** When CUDA last failed to start for a model, and why. */
    private record CudaFailure(String message, long at) {
        boolean expired(long now) {
            return now - at > CUDA_RETRY_AFTER.toNanos();
        }
    }

    /**
     * Creates the session {@link #run} would use for {@code device} now (checking the manifest
     * against the ONNX file), so the first request pays nothing; a GPU session that cannot be created
     * falls back to preparing the CPU's, as {@link #run} would, unless the GPU was required.
     */
    @Override
    public void prepare(ModelPackage model, DevicePreference device) {
        RouteDecision decision = plan(model, device);
        try {
            prepareOn(model, decision);
        } catch (GpuSessionFailure failure) {
            cudaFailures.put(model.manifest().modelDigest(), new CudaFailure(failure.getMessage(), System.nanoTime()));
            if (device == DevicePreference.GPU) {
                throw new DeviceUnavailableException("gpu", failure.getMessage(), failure);
            }
            prepareOn(model, RouteDecision.cpu(decision.reason() + ", but " + failure.getMessage()));
        }
    }

    private void prepareOn(ModelPackage model, RouteDecision decision) {
        SessionCache.Key key = new SessionCache.Key(model.manifest().modelDigest(), decision.route(), decision.gpuIndex());
        sessions.withSession(key, () -> load(model, decision), loaded -> {
            loaded.requireDescribedBy(model.manifest());
            return loaded;
        });
    }

    /** How many sessions are open; for tests and diagnostics. */
    public int openSessions() {
        return sessions.size();
    }

    private InferenceResult runOn(ModelPackage model, RouteDecision decision, Map<String, Tensor> inputs,
                                  Map<String, Tensor> callerOutputs, long start) {
        Manifest manifest = model.manifest();
        SessionCache.Key key = new SessionCache.Key(manifest.modelDigest(), decision.route(), decision.gpuIndex());
        return sessions.withSession(key, () -> load(model, decision), loaded -> {
            loaded.requireDescribedBy(manifest);
            return execute(manifest, loaded, inputs, callerOutputs, decision, start);
        });
    }

    private LoadedModel load(ModelPackage model, RouteDecision decision) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(config.interOpThreads());
            options.addConfigEntry(SPINNING_KEY, config.allowSpinning() ? "1" : "0");
            options.setOptimizationLevel(config.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                    : OrtSession.SessionOptions.OptLevel.NO_OPT);
            if (decision.route() == Route.LOCAL_GPU) {
                addCuda(options, decision.gpuIndex());
            }
            OrtSession session = createSession(model, options, decision);
            try {
                OnnxSignature signature = OnnxModels.signatureOf(session, model.modelFile());
                return new LoadedModel(session, signature);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, "ONNX Runtime could not prepare "
                    + model.manifest().coordinate() + ": " + e.getMessage(), e);
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, int gpuIndex) {
        try {
            options.addCUDA(gpuIndex);
        } catch (OrtException | RuntimeException e) {
            throw new GpuSessionFailure("the CUDA provider could not be enabled on GPU " + gpuIndex + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private OrtSession createSession(ModelPackage model, OrtSession.SessionOptions options, RouteDecision decision) {
        try {
            return OnnxModels.openSession(env, model.modelFile(), options);
        } catch (ConduitException e) {
            if (decision.route() == Route.LOCAL_GPU) {
                // A model CPU can load but CUDA cannot (missing cuDNN, too little memory) is a GPU failure.
                throw new GpuSessionFailure("a CUDA session could not be created (" + e.getCause().getMessage() + ")", e);
            }
            throw e;
        }
    }

    private InferenceResult execute(Manifest manifest, LoadedModel loaded, Map<String, Tensor> inputs,
                                    Map<String, Tensor> callerOutputs, RouteDecision decision, long start) {
        List<OnnxTensor> toClose = new ArrayList<>();
        try {
            Map<String, OnnxTensor> ortInputs = new LinkedHashMap<>();
            for (TensorSpec spec : manifest.inputs()) {
                Tensor tensor = inputs.get(spec.name());
                OnnxTensor value = tensor.type() == DataType.BYTES
                        ? OnnxTensor.createTensor(env, tensor.strings(), tensor.shape())
                        : OnnxTensor.createTensor(env, tensor.bytes(), tensor.shape(), OrtTypes.toJavaType(tensor.type()));
                toClose.add(value);
                ortInputs.put(spec.name(), value);
            }
            Map<String, Tensor> planned = new LinkedHashMap<>(config.preallocateOutputs()
                    ? OutputPlanner.allocate(loaded.signature(), inputs, config.outputPool()) : Map.of());
            planned.putAll(callerOutputs);
            Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> entry : planned.entrySet()) {
                Tensor tensor = entry.getValue();
                if (!OrtTypes.canCreate(tensor.type())) {
                    continue; // copied into the caller's buffer after the run instead
                }
                OnnxTensor value = OnnxTensor.createTensor(env, tensor.bytes(), tensor.shape(),
                        OrtTypes.toJavaType(tensor.type()));
                toClose.add(value);
                pinned.put(entry.getKey(), value);
            }
            long computeStart = System.nanoTime();
            Map<String, Tensor> outputs = runSession(manifest, loaded, ortInputs, planned, pinned);
            long computeNanos = System.nanoTime() - computeStart;
            return new InferenceResult(outputs, decision, computeNanos, System.nanoTime() - start);
        } catch (OrtException e) {
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, "ONNX Runtime failed running " + manifest.coordinate()
                    + " on " + decision.route() + ": " + e.getMessage(), e);
        } finally {
            toClose.forEach(OnnxTensor::close);
        }
    }

    private Map<String, Tensor> runSession(Manifest manifest, LoadedModel loaded, Map<String, OnnxTensor> inputs,
                                           Map<String, Tensor> planned, Map<String, OnnxTensor> pinned)
            throws OrtException {
        Set<String> requested = Set.of();
        if (pinned.size() < manifest.outputs().size()) {
            requested = new HashSet<>();
            for (TensorSpec spec : manifest.outputs()) {
                if (!pinned.containsKey(spec.name())) {
                    requested.add(spec.name());
                }
            }
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        try (OrtSession.Result result = loaded.session().run(inputs, requested, pinned)) {
            for (TensorSpec spec : manifest.outputs()) {
                Tensor direct = planned.get(spec.name());
                if (direct != null && !pinned.containsKey(spec.name())) {
                    Tensor copied = copyOut(result.get(spec.name()), spec);
                    if (!java.util.Arrays.equals(copied.shape(), direct.shape())) {
                        throw new ConduitException(ErrorCode.INFERENCE_FAILED, "output " + spec.name() + " came out "
                                + copied + " but the buffer given for it holds " + direct);
                    }
                    direct.bytes().put(copied.bytes());
                }
                outputs.put(spec.name(), direct != null ? direct : copyOut(result.get(spec.name()), spec));
            }
        }
        return outputs;
    }

    private static Tensor copyOut(Optional<OnnxValue> value, TensorSpec spec) {
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, "the model produced no tensor for output " + spec.name());
        }
        if (spec.datatype() == DataType.BYTES) {
            try {
                List<String> strings = new ArrayList<>();
                flatten(tensor.getValue(), strings);
                return Tensor.ofStrings(tensor.getInfo().getShape(), strings.toArray(String[]::new));
            } catch (OrtException e) {
                throw new ConduitException(ErrorCode.INFERENCE_FAILED, "the strings of output " + spec.name()
                        + " could not be read: " + e.getMessage(), e);
            }
        }
        return Tensor.wrap(spec.datatype(), tensor.getInfo().getShape(), tensor.getByteBuffer());
    }

    /** ONNX Runtime gives string tensors as nested String arrays (a bare String for rank 0): row-major order. */
    private static void flatten(Object value, List<String> into) {
        if (value instanceof Object[] array) {
            for (Object element : array) {
                flatten(element, into);
            }
        } else {
            into.add((String) value);
        }
    }

    @Override
    public void close() {
        sessions.close();
    }

    /** CUDA could not be used after all; {@link #run} falls back to the CPU unless told not to. */
    static final class GpuSessionFailure extends RuntimeException {
        GpuSessionFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
