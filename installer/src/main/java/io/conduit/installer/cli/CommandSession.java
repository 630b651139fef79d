package io.conduit.installer.cli;

import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.pkg.ModelPackage;
import java.io.PrintWriter;

/**
 * What the commands that run a model ({@code run}, {@code batch}, {@code demo}) build the same way, in
 * one place so the configuration rules hold for each at once: the layered configuration (its warnings
 * printed once), the device preference it names, the routing engine, and packages opened by path or
 * by registry reference. Closing it closes the engine.
 */
final class CommandSession implements AutoCloseable {
    private final ConduitConfig config;
    private final DevicePreference device;
    private final RoutingEngine engine;

    private CommandSession(ConduitConfig config) {
        this.config = config;
        this.device = EngineOptions.device(config);
        this.engine = EngineOptions.newEngine(config);
    }

    /** A session with the command's engine options as the configuration's command-line layer. */
    static CommandSession open(EngineOptions options) {
        return new CommandSession(options.config());
    }

    ConduitConfig config() {
        return config;
    }

    DevicePreference device() {
        return device;
    }

    RoutingEngine engine() {
        return engine;
    }

    /** A package folder, zip, or {@code NAME[@VERSION|@ALIAS]} pulled through the registry. */
    ModelPackage open(String reference, RegistryOptions registry, PrintWriter err) {
        return PackageReference.open(reference, registry, err);
    }

    /**
     * A device refusal with the setting that asked for the device ({@code --device gpu},
     * {@code CONDUIT_DEVICE=gpu}, {@code device: gpu in FILE}); any other failure unchanged.
     */
    RuntimeException withSource(RuntimeException failure) {
        if (failure instanceof DeviceUnavailableException refused) {
            return new DeviceUnavailableException(refused, deviceSource());
        }
        return failure;
    }

    String deviceSource() {
        String source = config.source(Setting.DEVICE);
        String value = config.get(Setting.DEVICE);
        if (source.equals("command line")) {
            return "--device " + value;
        }
        if (source.startsWith("environment ")) {
            return source.substring("environment ".length()) + "=" + value;
        }
        if (source.equals("default")) {
            return "the default device " + value;
        }
        return "device: " + value + " in " + source;
    }

    @Override
    public void close() {
        engine.close();
    }
}
