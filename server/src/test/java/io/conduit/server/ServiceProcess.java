package io.conduit.server;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.server.feedback.FeedbackStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code conduit serve}-style service in a child JVM (this test classpath), so a test can kill it
 * with SIGKILL and see what a crash keeps. {@link #main} starts it on a free loopback port with an H2
 * database at {@code args[0]} and prints {@code PORT n} once it listens.
 */
final class ServiceProcess implements AutoCloseable {
    private final Process process;
    final URI base;

    private ServiceProcess(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts the child and waits (bounded by the child's own start) for its port line. */
    static ServiceProcess start(String jdbcUrl, Path models) throws Exception {
        List<String> command = new ArrayList<>(io.conduit.core.testing.TestJava.command(ServiceProcess.class.getName()));
        command.addAll(List.of(jdbcUrl, models.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "service-process-output");
                drain.setDaemon(true);
                drain.start();
                return new ServiceProcess(child, URI.create("http://127.0.0.1:" + line.substring(5).strip()));
            }
            seen.append(line).append('\n');
        }
        child.destroyForcibly();
        throw new AssertionError("the service process ended before listening:\n" + seen);
    }

    /** SIGKILL: no shutdown hook, no close, no flush — what a crash or the OOM killer does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of(args[1]));
        LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("test machine has no GPU"));
        ConduitServer server = ConduitServer.start(ServerConfig.builder(Path.of(args[1])).port(0)
                .feedbackStore(FeedbackStore.open(args[0])).build(), engine);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
