package io.conduit.installer.cli;

import io.conduit.core.onnx.OrtTempFolders;

/** The {@code conduit} command's entry point: runs the CLI and exits with its status. */
public final class ConduitMain {
    private ConduitMain() {
    }

    public static void main(String[] args) {
        if (answeredAtOnce(args)) {
            return;
        }
        // A Conduit process killed with SIGKILL leaves ONNX Runtime's empty start-up folder in /tmp; the next one removes it.
        OrtTempFolders.sweep();
        System.exit(ConduitCli.execute(args));
    }

    /**
     * Answers {@code --version} ({@code -V}, {@code version}) before picocli is loaded: its classes are
     * Java 5 bytecode, which JDK 17 cannot keep in a class-data sharing archive, so building the CLI took
     * most of this command's start-up. True when it answered.
     */
    static boolean answeredAtOnce(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version"))) {
            System.out.println(ConduitCommand.VERSION);
            return true;
        }
        return false;
    }
}
