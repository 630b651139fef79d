package io.conduit.installer.cli;

import picocli.CommandLine;

/** The {@code conduit} command's entry point: runs the CLI and exits with its status. */
public final class ConduitMain {
    private ConduitMain() {
    }

    public static void main(String[] args) {
        System.exit(ConduitCli.execute(args));
    }
}
