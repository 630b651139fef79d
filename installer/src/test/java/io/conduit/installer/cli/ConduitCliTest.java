package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree is built for the command line at hand: one subcommand when it names one, all for help. */
class ConduitCliTest {
    @Test
    void aNamedCommandGetsOnlyItselfAndVersionNone() {
        assertEquals(Set.of("inspect"), ConduitCli.commandLine("inspect", "pkg").getSubcommands().keySet());
        assertEquals(Set.of("models"), ConduitCli.commandLine("models", "list").getSubcommands().keySet());
        assertEquals(Set.of(), ConduitCli.commandLine("--version").getSubcommands().keySet());
    }

    @Test
    void helpAndUnknownNamesSeeEveryCommand() {
        int all = ConduitCommand.SUBCOMMANDS.size();
        for (List<String> args : List.of(List.<String>of(), List.of("--help"), List.of("help", "run"), List.of("completion"), List.of("rnu"))) {
            assertEquals(all, ConduitCli.commandLine(args.toArray(String[]::new)).getSubcommands().size(), args.toString());
        }
        CommandLine cli = ConduitCli.commandLine("rnu");
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("rnu"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'rnu'"), err.toString());
        assertTrue(err.toString().contains("\n  run "), "the usage that follows lists every command: " + err);
    }

    @Test
    void theLauncherAnswersVersionWithoutLoadingPicocli() throws Exception {
        for (String asked : List.of("--version", "-V", "version")) {
            List<String> command = new java.util.ArrayList<>(io.conduit.core.testing.TestJava.command(
                    ConduitMain.class.getName(), "-Xlog:class+load=info"));
            command.add(asked);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            assertTrue(out.lines().anyMatch(l -> l.equals("conduit 0.1.0")), out);
            assertTrue(out.lines().noneMatch(l -> l.contains(" picocli.")), "no picocli class loaded for " + asked);
            assertTrue(out.lines().noneMatch(l -> l.contains(" io.conduit.core.")), "nor any of core's for " + asked);
        }
    }

    @Test
    void versionStillAnswers() {
        CommandLine cli = ConduitCli.commandLine("--version");
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--version"));
        assertEquals("conduit 0.1.0", out.toString().strip());
    }
}
