package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a TD used to git and kubectl expects of the CLI: version, completion, JSON errors, quiet help. */
class CliHabitsTest {
    @TempDir
    Path dir;

    @Test
    void versionIsASubcommandToo() {
        CliRunner sub = CliRunner.run("version");
        assertEquals(0, sub.status(), sub.err());
        assertEquals(CliRunner.run("--version").out(), sub.out());
        assertTrue(sub.out().startsWith("conduit "), sub.out());
    }

    @Test
    void everyHelpPrintsWithoutWarningsAndEveryOptionIsDescribed() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // picocli warns on System.err
        List<String> undescribed = new ArrayList<>();
        try {
            for (List<String> path : commands(ConduitCli.commandLine(), new ArrayList<>())) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                CliRunner help = CliRunner.run(args.toArray(String[]::new));
                assertEquals(0, help.status(), path + ": " + help.err());
                assertEquals("", help.err(), path + " --help");
            }
            collectUndescribed(ConduitCli.commandLine(), undescribed);
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "picocli's warnings while formatting help");
        assertEquals(List.of(), undescribed, "options without a description");
    }

    private static List<List<String>> commands(CommandLine command, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(path);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(sub.getKey());
                all.addAll(commands(sub.getValue(), next));
            }
        }
        return all;
    }

    private static void collectUndescribed(CommandLine command, List<String> into) {
        command.getCommandSpec().options().stream().filter(o -> o.description().length == 0
                        || String.join("", o.description()).isBlank())
                .forEach(o -> into.add(command.getCommandName() + " " + o.longestName()));
        command.getSubcommands().values().forEach(c -> collectUndescribed(c, into));
    }

    @Test
    void modelsSubcommandsShowOnlyTheRegistryOptionsTheyUse() {
        assertFalse(CliRunner.run("models", "keygen", "--help").out().contains("--registry"));
        String rules = CliRunner.run("models", "rules", "--help").out();
        assertTrue(rules.contains("--registry") && !rules.contains("--signing-key") && !rules.contains("--cache"), rules);
        assertTrue(CliRunner.run("models", "publish", "--help").out().contains("--signing-key"));
        assertTrue(CliRunner.run("models", "pull", "--help").out().contains("--trust-store"));
        assertEquals(ErrorCode.USAGE.exitStatus(), CliRunner.run("models", "list", "--signing-key", "k").status());
    }

    @Test
    void completionScriptsNameTheSubcommandsForEachShell() {
        CliRunner bash = CliRunner.run("completion", "bash");
        assertEquals(0, bash.status(), bash.err());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("gizmos"), bash.out());
        CliRunner zsh = CliRunner.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out());
        CliRunner ps = CliRunner.run("completion", "powershell");
        assertTrue(ps.out().contains("Register-ArgumentCompleter -Native -CommandName conduit"), ps.out());
        assertTrue(ps.out().contains("'models' = @(") && ps.out().contains("'--json'"), ps.out());
        CliRunner fish = CliRunner.run("completion", "fish");
        assertEquals(ErrorCode.USAGE.exitStatus(), fish.status());
        assertTrue(fish.err().contains("expected bash, zsh or powershell"), fish.err());
    }

    @Test
    void withJsonAnErrorIsJsonOnStdoutWithTheSameExitStatus() throws Exception {
        Path missing = dir.resolve("no-such-package");
        CliRunner text = CliRunner.run("inspect", missing.toString());
        CliRunner json = CliRunner.run("inspect", missing.toString(), "--json");
        assertEquals(ErrorCode.FILE_NOT_FOUND.exitStatus(), text.status());
        assertEquals(text.status(), json.status());
        JsonObject error = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonObject("error");
        assertEquals(ErrorCode.FILE_NOT_FOUND.searchCode(), error.get("code").getAsString());
        assertTrue(error.get("message").getAsString().contains(missing.toString()), error.toString());
        assertEquals("docs/errors.md#cdt-file-not-found", error.get("docs").getAsString());
        assertEquals("", json.err());
        CliRunner usage = CliRunner.run("inspect", "--json");
        assertEquals(ErrorCode.USAGE.exitStatus(), usage.status());
        assertEquals(ErrorCode.USAGE.searchCode(), JsonParser.parseString(usage.out()).getAsJsonObject()
                .getAsJsonObject("error").get("code").getAsString());
    }

    @Test
    void errorsPointAtTheInstalledDocsWhenRunFromADistribution() throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/errors.md"), "# Errors\n");
        String previous = System.getProperty("conduit.home");
        System.setProperty("conduit.home", dir.toString());
        try {
            assertEquals(dir.resolve("docs/errors.md").toAbsolutePath() + "#cdt-usage", ConduitCli.docs(ErrorCode.USAGE));
        } finally {
            if (previous == null) {
                System.clearProperty("conduit.home");
            } else {
                System.setProperty("conduit.home", previous);
            }
        }
        assertFalse(ConduitCli.docs(ErrorCode.USAGE).startsWith(dir.toString()));
    }
}
