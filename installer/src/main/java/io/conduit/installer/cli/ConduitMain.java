package io.conduit.installer.cli;

import io.conduit.core.onnx.OrtTempFolders;

/** The {@code conduit} command's entry point: runs the CLI and exits with its status. */
public final class ConduitMain {
    private ConduitMain() {
    }

    public static void main(String[] args) {
        // A Conduit process killed with SIGKILL leaves ONNX Runtime's empty start-up folder in /tmp; the next one removes it.
        OrtTempFolders.sweep();
        System.exit(ConduitCli.execute(args));
    }
}
