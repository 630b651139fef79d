package io.conduit.installer.cli;

import io.conduit.core.onnx.OrtTempFolders;

/** The {@code conduit} command's entry point: runs the CLI and exits with its status. */
public final class ConduitMain {
    private ConduitMain() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version"))) {
            // Answered before picocli is loaded: its classes are Java 5 bytecode, which JDK 17 cannot keep
            // in a class-data sharing archive, so building the CLI took most of this command's start-up.
            System.out.println(ConduitCommand.VERSION);
            return;
        }
        // A Conduit process killed with SIGKILL leaves ONNX Runtime's empty start-up folder in /tmp; the next one removes it.
        OrtTempFolders.sweep();
        System.exit(ConduitCli.execute(args));
    }
}
