package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conduit completion bash|zsh|powershell}: prints a shell completion script for every
 * subcommand and option. Bash and zsh use picocli's generated script (zsh through {@code bashcompinit});
 * PowerShell gets a {@code Register-ArgumentCompleter} built from the same command tree.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a shell completion script. Install it with:",
                "  bash:       conduit completion bash > ~/.local/share/bash-completion/completions/conduit",
                "  zsh:        conduit completion zsh > \"${fpath[1]}/_conduit\"  (or: source <(conduit completion zsh))",
                "  PowerShell: conduit completion powershell | Out-String | Invoke-Expression  (add it to $PROFILE)"})
final class CompletionCommand implements Runnable {
    @Parameters(paramLabel = "SHELL", description = "bash, zsh or powershell.")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.commandLine().getParent();
        PrintWriter out = spec.commandLine().getOut();
        switch (shell) {
            case "bash" -> out.print(AutoComplete.bash("conduit", root));
            case "zsh" -> out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                    + AutoComplete.bash("conduit", root));
            case "powershell" -> out.print(powerShell(root));
            default -> throw new ConduitException(ErrorCode.USAGE, "conduit completion " + shell
                    + ": expected bash, zsh or powershell");
        }
        out.flush();
    }

    /** Completes subcommand names after {@code conduit} (and after a command with subcommands), then that command's options. */
    static String powerShell(CommandLine root) {
        List<String> table = new ArrayList<>();
        collect("", root, table);
        return "# Conduit's PowerShell completion (conduit completion powershell)\n"
                + "$conduitCompletions = @{\n" + String.join("\n", table) + "\n}\n"
                + "Register-ArgumentCompleter -Native -CommandName conduit, conduit.cmd -ScriptBlock {\n"
                + "    param($wordToComplete, $commandAst, $cursorPosition)\n"
                + "    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }"
                + " | Where-Object { $_ -notlike '-*' -and $_ -ne $wordToComplete })\n"
                + "    $path = ''\n"
                + "    foreach ($w in $words) { if ($conduitCompletions.ContainsKey(($path + ' ' + $w).Trim())) {"
                + " $path = ($path + ' ' + $w).Trim() } }\n"
                + "    $conduitCompletions[$path] | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n"
                + "        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n"
                + "    }\n"
                + "}\n";
    }

    private static void collect(String path, CommandLine command, List<String> table) {
        List<String> words = new ArrayList<>(command.getSubcommands().keySet());
        command.getCommandSpec().options().forEach(o -> words.addAll(List.of(o.names())));
        table.add("    '" + path + "' = @(" + String.join(", ", words.stream().map(w -> "'" + w + "'").toList()) + ")");
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                collect((path + " " + sub.getKey()).strip(), sub.getValue(), table);
            }
        }
    }
}
