package io.conduit.installer.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and SIGINT answered by closing the service first and exiting after, rather than by the JVM's
 * default, which starts every shutdown hook at once: ONNX Runtime's own hook (OrtEnvironment's) releases
 * its native environment at once, under any session still being created (a model loading in the
 * background) or run (a request being drained), and the process died in libonnxruntime (SIGSEGV or
 * SIGBUS) with its temporary files left behind. Uses {@code sun.misc.Signal} (module jdk.unsupported, in
 * the bundled runtime); where it cannot, the JVM's default stays and the shutdown hook closes the service.
 */
final class TerminationSignals {
    private TerminationSignals() {
    }

    /**
     * Runs {@code close} on SIGTERM and SIGINT instead of the JVM's shutdown; the caller then exits. The
     * returned action puts the previous handling back (for a command that failed before it served).
     */
    static Runnable onTerminate(Runnable close) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> close.run());
                restore.add(() -> sun.misc.Signal.handle(signal, previous));
            } catch (IllegalArgumentException | UnsatisfiedLinkError | NoClassDefFoundError e) {
                // this platform or runtime does not let us take the signal: the shutdown hook still closes
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
