package io.conduit.installer.cli;

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

    /** Runs {@code close} on SIGTERM and SIGINT instead of the JVM's shutdown; the caller then exits. */
    static void onTerminate(Runnable close) {
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> close.run());
            } catch (IllegalArgumentException | UnsatisfiedLinkError | NoClassDefFoundError e) {
                // this platform or runtime does not let us take the signal: the shutdown hook still closes
            }
        }
    }
}
