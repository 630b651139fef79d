package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Builds the picocli command tree and maps failures to exit statuses: a {@link ConduitException}
 * exits with its {@link ErrorCode}'s status and prints its search code; a usage mistake exits 2;
 * anything unexpected exits 1 with the stack trace, since that is a bug to report.
 */
public final class ConduitCli {
    private ConduitCli() {
    }

    /** The whole command tree, every subcommand in it. */
    public static CommandLine commandLine() {
        return commandLine(ConduitCommand.SUBCOMMANDS);
    }

    /**
     * The command tree {@code args} needs: only the subcommand they name, none for {@code --version}, all
     * of them otherwise (help lists them, and an unknown name is answered with the known ones). Building
     * the model of all sixteen costs more than the rest of a short command's start-up.
     */
    static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("--version") || first.equals("-V")) {
            return commandLine(List.of());
        }
        for (Class<?> command : ConduitCommand.SUBCOMMANDS) {
            CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
            if (annotation.name().equals(first) && !first.equals("help")) {
                return commandLine(List.of(command));
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new ConduitCommand());
        for (Class<?> command : subcommands) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConduitException conduit) {
                err.println("error: " + conduit.describe());
                err.println("       see " + conduit.code().helpAnchor());
                err.flush();
                return conduit.code().exitStatus();
            }
            err.println("error: [" + ErrorCode.INTERNAL.searchCode() + "] unexpected failure, please report it:");
            e.printStackTrace(err);
            err.flush();
            return ErrorCode.INTERNAL.exitStatus();
        });
        return cli;
    }

    /** Runs the CLI on {@code args} and returns the exit status. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }
}
