package io.conduit.installer.cli;

import picocli.CommandLine.Command;

/** The top-level {@code conduit} command; each job is a subcommand. */
@Command(name = "conduit", mixinStandardHelpOptions = true, version = "conduit 0.1.0",
        description = "Runs trained ONNX models for artists in Houdini, Maya and Nuke.",
        subcommands = {DemoCommand.class, RunCommand.class, BatchCommand.class, ConvertCommand.class, InitCommand.class, InspectCommand.class, ServeCommand.class,
                AgentCommand.class, InstallCommand.class, GizmosCommand.class, VersionCommand.class, CompletionCommand.class, UninstallCommand.class, DoctorCommand.class, FeedbackCommand.class, StatsCommand.class, ModelsCommand.class, CacheCommand.class, SealCommand.class,
                picocli.CommandLine.HelpCommand.class},
        footerHeading = "%nExit status:%n",
        footer = {"  0  success", "  1  internal error (a bug: please report it)", "  2  usage error",
                "  3  file not found", "  4  invalid manifest", "  5  package integrity (sha256 mismatch)",
                "  6  corrupt ONNX model", "  7  invalid input tensor", "  8  unreadable or unsupported data file",
                "  9  requested device unavailable", " 10  inference failed", " 11  I/O error",
                " 12  malformed V2 request or response", " 13  model not found", " 14  remote service unavailable",
                " 15  deadline exceeded", " 16  unauthorized", " 17  overloaded", " 18  no route can run the model",
                " 19  request too large", " 20  wrong HTTP method",
                " 21  version already published",
                "See docs/errors.md for each code."})
public final class ConduitCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
