package io.conduit.installer.cli;

import io.conduit.core.DeviceUnavailableException;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.pkg.ModelPackage;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the commands that run a model ({@code run}, {@code batch}, {@code demo}) build the same way, in
 * one place so the configuration rules hold for each at once: the layered configuration (its warnings
 * printed once), the device preference it names, the routing engine (built on a thread of its own while
 * the command goes on), and packages opened by path or by registry reference. Closing it closes the engine.
 */
final class CommandSession implements AutoCloseable {
    private final ConduitConfig config;
    private final DevicePreference device;
    /**
     * Built on a thread of its own (loading ONNX Runtime's native library and creating its environment takes
     * 60-100 ms), so the command opens its package and reads its inputs meanwhile; {@link #engine()} waits.
     */
    private final CompletableFuture<RoutingEngine> engine;

    private CommandSession(ConduitConfig config) {
        this.config = config;
        this.device = EngineOptions.device(config);
        this.engine = CompletableFuture.supplyAsync(() -> EngineOptions.newEngine(config), CommandSession::onDaemonThread);
    }

    private static void onDaemonThread(Runnable work) {
        Thread thread = new Thread(work, "conduit-engine-start");
        thread.setDaemon(true);
        thread.start();
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
        try {
            return engine.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure; // e.g. ONNX Runtime's native library failing to load, as it would on this thread
            }
            throw e;
        }
    }

    /**
     * Starts building, on another thread, the local ONNX Runtime session {@code pkg}'s run will use (for {@code run};
     * {@code batch} does not, since a batch answered from its cache needs no session; see
     * {@link RoutingEngine#prepareLocalRoute}), while the caller reads the inputs. A failure here is left for
     * the run itself to report, with the same error and its context. Closing the result waits for the work,
     * so it must close before {@code pkg} does: declare it after the package in the same try.
     */
    Preparation prepareInBackground(ModelPackage pkg) {
        return new Preparation(engine.thenAcceptAsync(e -> e.prepareLocalRoute(pkg, device), CommandSession::onDaemonThread)
                .exceptionally(failure -> null));
    }

    /** A session being built in the background; closing waits for it. */
    record Preparation(CompletableFuture<Void> work) implements AutoCloseable {
        @Override
        public void close() {
            work.join();
        }
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
        RoutingEngine built;
        try {
            built = engine.join();
        } catch (CompletionException e) {
            return; // nothing was built; whoever asked for the engine has reported why
        }
        built.close();
    }
}
