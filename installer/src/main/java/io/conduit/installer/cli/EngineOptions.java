package io.conduit.installer.cli;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.local.NvidiaSmiProbe;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares: the device and ONNX Runtime's threads. */
final class EngineOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|gpu|cpu",
            description = "Where to run: auto (GPU when usable, else CPU), gpu (fail without one) or cpu."
                    + " Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose. Default: ${DEFAULT-VALUE}.")
    int threads;

    DevicePreference device() {
        return DevicePreference.parse(device);
    }

    LocalEngine newLocalEngine() {
        LocalEngineConfig config;
        try {
            config = LocalEngineConfig.builder().intraOpThreads(threads).build();
        } catch (IllegalArgumentException e) {
            throw new io.conduit.core.ConduitException(io.conduit.core.ErrorCode.USAGE, "--threads: " + e.getMessage());
        }
        return new LocalEngine(config, new NvidiaSmiProbe());
    }
}
