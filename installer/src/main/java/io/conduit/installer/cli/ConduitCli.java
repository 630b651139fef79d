package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds the picocli command tree and maps failures to exit statuses: a {@link ConduitException}
 * exits with its {@link ErrorCode}'s status and prints its search code; a usage mistake exits 2;
 * anything unexpected exits 1 with the stack trace, since that is a bug to report.
 */
public final class ConduitCli {
    private ConduitCli() {
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ConduitCommand());
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
        return commandLine().execute(args);
    }
}
