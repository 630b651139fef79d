package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's publish-and-run walkthrough, run as written: each {@code ./conduit} line through the
 * CLI in this JVM, each other line with bash, in a scratch folder standing in for the fresh clone
 * (paths under {@code installer/} are the checkout's own).
 */
class ReadmeWalkthroughTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> PATH_OPTIONS = Set.of("--registry", "--signing-key", "--trust-store", "--out", "-o");

    @TempDir
    Path clone;

    @Test
    void thePublishingWalkthroughWorksAsWritten() throws Exception {
        List<String> lines = walkthrough(Files.readString(ROOT.resolve("README.md")));
        assertTrue(lines.size() >= 8, "the walkthrough was found: " + lines);
        for (String line : lines) {
            if (line.startsWith("./conduit ")) {
                CliRunner r = CliRunner.run(arguments(line.substring("./conduit ".length())));
                assertEquals(0, r.status(), line + "\n" + r.out() + r.err());
            } else {
                Process bash = new ProcessBuilder("bash", "-c", line).directory(clone.toFile()).redirectErrorStream(true)
                        .start();
                String output = new String(bash.getInputStream().readAllBytes());
                assertTrue(bash.waitFor(1, TimeUnit.MINUTES), line);
                assertEquals(0, bash.exitValue(), line + "\n" + output);
            }
        }
        assertTrue(Files.size(clone.resolve("clean.png")) > 0, "the walkthrough's run wrote its output");
    }

    private static List<String> walkthrough(String readme) {
        String section = readme.substring(readme.indexOf("### Publishing and rolling out models"));
        String block = section.substring(section.indexOf("```bash") + "```bash".length(), section.indexOf("```", section.indexOf("```bash") + 7));
        List<String> lines = new ArrayList<>();
        for (String line : block.split("\n")) {
            String command = line.replaceFirst("\\s+#.*$", "").trim();
            if (!command.isEmpty()) {
                lines.add(command);
            }
        }
        return lines;
    }

    /**
     * The line's arguments, with the checkout's paths and the scratch folder's made absolute, and a
     * cache in the scratch folder where the line pulls from the registry (not the tester's ~/.conduit).
     */
    private String[] arguments(String line) {
        List<String> args = new ArrayList<>(List.of(line.split("\\s+")));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith("installer/")) {
                args.set(i, ROOT.resolve(args.get(i)).toString());
            } else if (i > 0 && PATH_OPTIONS.contains(args.get(i - 1))) {
                args.set(i, clone.resolve(args.get(i)).toString());
            }
        }
        if (args.get(0).equals("run") && !args.contains("--cache")) {
            args.addAll(List.of("--cache", clone.resolve("cache").toString()));
        }
        return args.toArray(String[]::new);
    }
}
