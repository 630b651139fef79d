package io.conduit.installer.cli;

/**
 * {@code -q} and {@code -v}, for every command: how much besides results and errors reaches stderr.
 * They set the logging backend's levels (Jetty's SLF4J backend reads them from system properties when a
 * logger is first made, which is after the command line is parsed) and whether configuration warnings
 * are printed.
 */
final class Verbosity {
    /** Read by {@link io.conduit.core.config.ConfigLoader#fromProcess}: no warnings when set. */
    static final String QUIET_PROPERTY = "conduit.quiet";

    private Verbosity() {
    }

    static void quiet() {
        System.setProperty(QUIET_PROPERTY, "true");
        System.setProperty("io.conduit.LEVEL", "ERROR");
        System.setProperty("org.eclipse.jetty.LEVEL", "ERROR");
        System.setProperty(io.conduit.core.onnx.OrtEnv.LEVEL_PROPERTY, "FATAL");
    }

    static void verbose() {
        System.clearProperty(QUIET_PROPERTY);
        System.setProperty("io.conduit.LEVEL", "DEBUG");
        System.setProperty("org.eclipse.jetty.LEVEL", "INFO");
        System.setProperty(io.conduit.core.onnx.OrtEnv.LEVEL_PROPERTY, "WARNING");
    }
}
