package io.conduit.installer.cli;

import java.util.List;

import picocli.CommandLine.Command;

/** The top-level {@code conduit} command; each job is a subcommand. */
@Command(name = "conduit", mixinStandardHelpOptions = true, version = ConduitCommand.VERSION,
        description = "Runs trained ONNX models for artists in Houdini, Maya and Nuke.",
        footerHeading = "%nExit status (each code is explained in docs/errors.md):%n")
public final class ConduitCommand implements Runnable {
    /** What {@code conduit --version} prints; a constant, so {@link ConduitMain} can print it without building the CLI. */
    static final String VERSION = "conduit 0.1.0";

    /**
     * The subcommands in the order help lists them. Not in the annotation: picocli builds the model of every
     * listed command (reflection over all their options) before parsing, so {@link ConduitCli} adds only the
     * one a command line names (all of them for help and for anything it does not recognise).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, RunCommand.class, BatchCommand.class,
            ConvertCommand.class, InitCommand.class, InspectCommand.class, ServeCommand.class, AgentCommand.class,
            InstallCommand.class, GizmosCommand.class, VersionCommand.class, CompletionCommand.class,
            UninstallCommand.class, DoctorCommand.class, FeedbackCommand.class, StatsCommand.class, ModelsCommand.class,
            CacheCommand.class, SealCommand.class, picocli.CommandLine.HelpCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = {"-q", "--quiet"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print only results and errors: no configuration warnings, no log lines below ERROR.")
    void quiet(boolean quiet) {
        if (quiet) {
            Verbosity.quiet();
        }
    }

    @picocli.CommandLine.Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Also print Conduit's debug log and Jetty's informational lines on stderr.")
    void verbose(boolean verbose) {
        if (verbose) {
            Verbosity.verbose();
        }
    }

    /** The exit statuses, from the one table of error codes. */
    static String[] exitStatusFooter() {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("  0  success"));
        java.util.Arrays.stream(io.conduit.core.ErrorCode.values())
                .sorted(java.util.Comparator.comparingInt(io.conduit.core.ErrorCode::exitStatus))
                .forEach(c -> lines.add(String.format(java.util.Locale.ROOT, " %2d  %s", c.exitStatus(), c.searchCode())));
        return lines.toArray(String[]::new);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
