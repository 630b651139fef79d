package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.ConfigLoader;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.policy.Engines;
import io.conduit.core.engine.policy.RoutingEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command that runs a model shares. They are the top configuration layer: each
 * one given overrides the files and environment (see docs/configuration.md).
 */
final class EngineOptions {
    @Option(names = "--device", paramLabel = "auto|gpu|cpu|remote",
            description = "Where to run: auto (local GPU, else remote service, else CPU), gpu, cpu or remote."
                    + " Default: the device setting (auto).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "ONNX Runtime threads per inference; 0 lets ONNX Runtime choose. Default: engine.intraOpThreads.")
    Integer threads;

    @Option(names = "--remote", paramLabel = "URL",
            description = "An inference service (repeatable); replaces remote.endpoints for this command.")
    List<String> remote = new ArrayList<>();

    /** The configuration with these options as its command-line layer. */
    ConduitConfig config() {
        return ConfigLoader.fromProcess(flags());
    }

    /** The same, skipping (and naming in {@code problems()}) a configuration file that cannot be read. */
    ConduitConfig lenientConfig() {
        return new ConfigLoader(System.getenv(), null).loadLenient(flags());
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (device != null) {
            flags.put(Setting.DEVICE.key(), device);
        }
        if (threads != null) {
            flags.put(Setting.ENGINE_INTRA_OP_THREADS.key(), String.valueOf(threads));
        }
        if (!remote.isEmpty()) {
            flags.put(Setting.REMOTE_ENDPOINTS.key(), String.join(",", remote));
        }
        return flags;
    }

    static DevicePreference device(ConduitConfig config) {
        return DevicePreference.parse(config.get(Setting.DEVICE));
    }

    static RoutingEngine newEngine(ConduitConfig config) {
        try {
            return Engines.fromConfig(config);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, e.getMessage());
        }
    }
}
