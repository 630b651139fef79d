package io.conduit.installer.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * Builds the picocli command tree and maps failures to exit statuses: a {@link ConduitException}
 * exits with its {@link ErrorCode}'s status and prints its search code and where it is explained; a
 * usage mistake exits 2; anything unexpected exits 1 with the stack trace, since that is a bug to
 * report. With {@code --json}, the error is a JSON object on stdout ({@code {"error": {"code",
 * "message", "docs"}}}) with the same exit status, so a script reading JSON never has to parse text.
 */
public final class ConduitCli {
    private ConduitCli() {
    }

    /** The whole command tree, every subcommand in it. */
    public static CommandLine commandLine() {
        return commandLine(ConduitCommand.SUBCOMMANDS);
    }

    /** Subcommands that read the whole tree: help lists it, completion writes a script for all of it. */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion");

    /**
     * The command tree {@code args} needs: only the subcommand they name, none for {@code --version}, all
     * of them otherwise (help and completion read them all, and an unknown name is answered with the known
     * ones). Building the model of all twenty costs more than the rest of a short command's start-up.
     */
    static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("--version") || first.equals("-V")) {
            return commandLine(List.of());
        }
        for (Class<?> command : ConduitCommand.SUBCOMMANDS) {
            CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
            if (annotation.name().equals(first) && !WHOLE_TREE.contains(first)) {
                return commandLine(List.of(command));
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new ConduitCommand());
        cli.getCommandSpec().usageMessage().footer(ConduitCommand.exitStatusFooter());
        for (Class<?> command : subcommands) {
            cli.addSubcommand(command);
        }
        if (cli.getSubcommands().containsKey("models")) {
            ModelsCommand.pruneOptions(cli.getSubcommands().get("models"));
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean json = wantsJson(parseResult);
            if (e instanceof ConduitException conduit) {
                return report(commandLine, json, conduit.code(), conduit.getMessage());
            }
            if (json) {
                report(commandLine, true, ErrorCode.INTERNAL, "unexpected failure (a bug: please report it): " + e);
            }
            PrintWriter err = commandLine.getErr();
            err.println("error: [" + ErrorCode.INTERNAL.searchCode() + "] unexpected failure, please report it:");
            e.printStackTrace(err);
            err.flush();
            return ErrorCode.INTERNAL.exitStatus();
        });
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> {
            if (Arrays.asList(args).contains("--json")) {
                return report(e.getCommandLine(), true, ErrorCode.USAGE, e.getMessage());
            }
            return usage.handleParseException(e, args);
        });
        return cli;
    }

    /** Whether the subcommand that ran was given {@code --json}. */
    private static boolean wantsJson(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult innermost = parseResult;
        while (innermost.subcommand() != null) {
            innermost = innermost.subcommand();
        }
        return innermost.hasMatchedOption("--json");
    }

    private static int report(CommandLine commandLine, boolean json, ErrorCode code, String message) {
        String docs = docs(code);
        if (json) {
            JsonObject error = new JsonObject();
            error.addProperty("code", code.searchCode());
            error.addProperty("message", message);
            error.addProperty("docs", docs);
            JsonObject answer = new JsonObject();
            answer.add("error", error);
            PrintWriter out = commandLine.getOut();
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(answer));
            out.flush();
        } else {
            PrintWriter err = commandLine.getErr();
            err.println("error: [" + code.searchCode() + "] " + message);
            err.println("       see " + docs);
            err.flush();
        }
        return code.exitStatus();
    }

    /**
     * Where the code is explained: the installed copy of docs/errors.md when this runs from a
     * distribution (which ships docs/), else the path in the source tree.
     */
    static String docs(ErrorCode code) {
        String home = System.getProperty("conduit.home");
        if (home != null) {
            Path file = Path.of(home, "docs", "errors.md");
            if (Files.isRegularFile(file)) {
                return file.toAbsolutePath() + code.helpAnchor().substring(code.helpAnchor().indexOf('#'));
            }
        }
        return code.helpAnchor();
    }

    /** Runs the CLI on {@code args} and returns the exit status. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }
}
