package io.conduit.core.engine.policy;

import io.conduit.core.ConduitException;
import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InputValidator;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policy that picks a route per model and per call. For {@code auto}: the local GPU when one is
 * usable and the model's {@code gpuMemoryMiB} fits, else the remote service when one is configured
 * and answers, else the local CPU when the model allows it, else an error naming every route tried
 * and why each was refused. A remote call that fails for want of a service (down, overloaded, too
 * slow, without this model, holding a different package under the same name and version, or unable
 * to carry these tensors) falls through to the CPU; a request the service refuses as invalid does
 * not, since the CPU would refuse it too. The result's reason tells the whole story.
 */
public final class RoutingEngine implements InferenceEngine {
    private static final Set<ErrorCode> SERVICE_FAILURES = Set.of(ErrorCode.REMOTE_UNAVAILABLE,
            ErrorCode.DEADLINE_EXCEEDED, ErrorCode.MODEL_NOT_FOUND, ErrorCode.OVERLOADED, ErrorCode.UNAUTHORIZED,
            ErrorCode.REQUEST_TOO_LARGE, ErrorCode.PACKAGE_MISMATCH, ErrorCode.PROTOCOL);

    private final LocalEngine local;
    private final RemoteEngine remote;

    /** @param remote the remote engine, or null when no service is configured */
    public RoutingEngine(LocalEngine local, RemoteEngine remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public RouteDecision plan(ModelPackage model, DevicePreference device) {
        return switch (device) {
            case GPU, CPU -> local.plan(model, device);
            case REMOTE -> requireRemote().plan(model, device);
            case AUTO -> planAuto(model);
        };
    }

    private RouteDecision planAuto(ModelPackage model) {
        List<String> refused = new ArrayList<>();
        Optional<String> gpuProblem = local.gpuProblem(model);
        if (gpuProblem.isEmpty()) {
            return local.plan(model, DevicePreference.AUTO);
        }
        refused.add("local GPU: " + gpuProblem.get());
        if (hasRemote()) {
            try {
                RouteDecision r = remote.plan(model, DevicePreference.REMOTE);
                return r.withReason(String.join("; ", refused) + "; " + r.reason());
            } catch (ConduitException e) {
                refused.add("remote: " + e.getMessage());
            }
        } else {
            refused.add("remote: no service configured (remote.endpoints)");
        }
        return cpuOrNoRoute(model, refused);
    }

    @Override
    public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
        InputValidator.validate(model.manifest(), inputs);
        return switch (device) {
            case GPU, CPU -> local.run(model, inputs, device);
            case REMOTE -> requireRemote().run(model, inputs, device);
            case AUTO -> runAuto(model, inputs);
        };
    }

    private InferenceResult runAuto(ModelPackage model, Map<String, Tensor> inputs) {
        List<String> refused = new ArrayList<>();
        boolean failedWhileRunning = false;
        Optional<String> gpuProblem = local.gpuProblem(model);
        if (gpuProblem.isEmpty()) {
            RouteDecision planned = local.plan(model, DevicePreference.AUTO);
            try {
                InferenceResult r = local.run(model, inputs, DevicePreference.GPU);
                return withReason(r, planned.reason());
            } catch (DeviceUnavailableException cudaFailed) {
                refused.add("local GPU: " + cudaFailed.reason());
                failedWhileRunning = true;
            }
        } else {
            refused.add("local GPU: " + gpuProblem.get());
        }
        if (hasRemote()) {
            try {
                InferenceResult r = remote.run(model, inputs, DevicePreference.REMOTE);
                InferenceResult explained = withReason(r, String.join("; ", refused) + "; " + r.route().reason());
                return failedWhileRunning ? fallback(explained) : explained;
            } catch (ConduitException e) {
                if (!SERVICE_FAILURES.contains(e.code())) {
                    throw e;
                }
                refused.add("remote: " + e.getMessage());
                failedWhileRunning = true;
            }
        } else {
            refused.add("remote: no service configured (remote.endpoints)");
        }
        RouteDecision cpu = cpuOrNoRoute(model, refused);
        InferenceResult onCpu = withReason(local.run(model, inputs, DevicePreference.CPU), cpu.reason());
        return failedWhileRunning ? fallback(onCpu) : onCpu;
    }

    private static InferenceResult fallback(InferenceResult r) {
        return new InferenceResult(r.outputs(), r.route().asFallback(), r.computeNanos(), r.totalNanos());
    }

    private static RouteDecision cpuOrNoRoute(ModelPackage model, List<String> refused) {
        if (!model.manifest().requirements().cpuAllowed()) {
            refused.add("local CPU: " + model.manifest().coordinate() + " does not allow the CPU (requirements.cpuAllowed)");
            throw new ConduitException(ErrorCode.NO_ROUTE, "no route can run " + model.manifest().coordinate() + ": "
                    + String.join("; ", refused));
        }
        return RouteDecision.cpu(String.join("; ", refused) + "; running on the CPU, which the model allows");
    }

    private static InferenceResult withReason(InferenceResult r, String reason) {
        return new InferenceResult(r.outputs(), r.route().withReason(reason), r.computeNanos(), r.totalNanos());
    }

    private boolean hasRemote() {
        return remote != null && remote.configured();
    }

    private RemoteEngine requireRemote() {
        if (!hasRemote()) {
            throw new ConduitException(ErrorCode.USAGE, "--device remote needs a remote service: set remote.endpoints"
                    + " (docs/configuration.md) or pass --remote URL");
        }
        return remote;
    }

    /**
     * Creates, ahead of the run, the local session a run on {@code device} will use when the route is local:
     * the GPU's when it is fit, the CPU's when nothing else could answer. Nothing when the run goes to a
     * service or could go either way. For a command that runs one model now ({@code run}), so
     * ONNX Runtime's session is built while the inputs are read; not {@link #prepare}, which a service calls
     * for every model it holds, and an agent should not build CPU sessions for models it may never run.
     */
    public void prepareLocalRoute(ModelPackage model, DevicePreference device) {
        switch (device) {
            case GPU, CPU -> local.prepare(model, device);
            case REMOTE -> {
            }
            case AUTO -> {
                if (local.gpuProblem(model).isEmpty()) {
                    // With a service to fall back to, a GPU session that fails is not replaced by a CPU one here.
                    local.prepare(model, hasRemote() ? DevicePreference.GPU : DevicePreference.AUTO);
                } else if (!hasRemote()) {
                    local.prepare(model, DevicePreference.CPU);
                }
            }
        }
    }

    /** The remote engine, or empty when no service is configured. */
    public Optional<RemoteEngine> remote() {
        return hasRemote() ? Optional.of(remote) : Optional.empty();
    }

    public LocalEngine local() {
        return local;
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }
}
