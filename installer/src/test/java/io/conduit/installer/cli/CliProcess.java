package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI as its own process, for what an in-process run cannot change: the environment ({@code HOME},
 * {@code CONDUIT_*}) and what native code writes to stderr. Keeps the exit status and both streams.
 */
record CliProcess(int status, String out, String err) {
    static CliProcess run(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(io.conduit.core.testing.TestJava.command("io.conduit.installer.cli.ConduitMain"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(io.conduit.core.config.ConfigLoader.STUDIO_FILE_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "conduit " + String.join(" ", args) + " did not finish");
        return new CliProcess(process.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }
}
