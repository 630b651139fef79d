package io.conduit.installer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code conduit cache ...}: looking after what this machine keeps between runs. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Looks after the caches this machine keeps between runs.",
        subcommands = {CachePrune.class})
final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
