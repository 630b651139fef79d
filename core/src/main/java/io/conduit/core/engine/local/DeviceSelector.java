package io.conduit.core.engine.local;

import io.conduit.core.ConduitException;
import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.Requirements;
import java.util.Optional;

/**
 * Decides between the local GPU and the CPU for one model from what the caller asked for, what the
 * manifest requires and what the GPU probe found, and explains the decision. A pure function of
 * its inputs, so every branch is tested without a GPU.
 */
public final class DeviceSelector {
    private static final RouteDecision CPU_REQUESTED = RouteDecision.cpu("device cpu was requested");

    private DeviceSelector() {
    }

    public static RouteDecision select(Manifest manifest, DevicePreference preference, GpuStatus status) {
        if (preference == DevicePreference.CPU) {
            requireCpuAllowed(manifest, CPU_REQUESTED.reason());
            return CPU_REQUESTED;
        }
        Requirements needs = manifest.requirements();
        Optional<String> gpuProblem = gpuProblem(manifest, status);
        switch (preference) {
            case GPU -> {
                if (gpuProblem.isPresent()) {
                    throw new DeviceUnavailableException("gpu", gpuProblem.get()
                            + ". Use --device auto (or device auto in the configuration) to fall back to the CPU");
                }
                GpuInfo gpu = status.roomiest().orElseThrow();
                return RouteDecision.gpu(gpu.index(), describe(gpu, needs) + "; device gpu was requested");
            }
            case AUTO -> {
                if (gpuProblem.isEmpty()) {
                    GpuInfo gpu = status.roomiest().orElseThrow();
                    return RouteDecision.gpu(gpu.index(), describe(gpu, needs));
                }
                requireCpuAllowed(manifest, gpuProblem.get());
                return RouteDecision.cpu(gpuProblem.get() + "; running on the CPU, which the model allows");
            }
            default -> throw new IllegalArgumentException("the local engine does not choose " + preference);
        }
    }

    /** Why no local GPU can run this model, or empty when one can. */
    public static Optional<String> gpuProblem(Manifest manifest, GpuStatus status) {
        Optional<GpuInfo> gpu = status.cudaProviderAvailable() ? status.roomiest() : Optional.empty();
        if (!status.cudaProviderAvailable() || gpu.isEmpty()) {
            return Optional.of(status.problem().isEmpty() ? "no usable GPU" : status.problem());
        }
        long needed = manifest.requirements().gpuMemoryMiB();
        if (gpu.get().freeMemoryMiB() < needed) {
            return Optional.of("GPU " + gpu.get().index() + " (" + gpu.get().name() + ") has " + gpu.get().freeMemoryMiB()
                    + " MiB free; " + manifest.coordinate() + " needs " + needed + " MiB");
        }
        return Optional.empty();
    }

    private static String describe(GpuInfo gpu, Requirements needs) {
        return "GPU " + gpu.index() + " (" + gpu.name() + ") has " + gpu.freeMemoryMiB() + " MiB free; the model needs "
                + needs.gpuMemoryMiB() + " MiB";
    }

    private static void requireCpuAllowed(Manifest manifest, String why) {
        if (!manifest.requirements().cpuAllowed()) {
            throw new ConduitException(ErrorCode.DEVICE_UNAVAILABLE, why + ", and " + manifest.coordinate()
                    + " does not allow the CPU (requirements.cpuAllowed is false)");
        }
    }
}
