package io.conduit.installer.bridges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.server.agent.AgentFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conduit agent} as separate processes, the way bridges start it: one per user, private, idle exit. */
class AgentProcessTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoAgentsStartedAtOnceLeaveExactlyOneRunningWithAPrivateTokenFile() throws Exception {
        BridgeFixture fixture = new BridgeFixture(dir);
        fixture.addPackage("scale_bias.onnx", "scale-bias", m -> { });
        Path home = dir.resolve("home");
        List<Process> agents = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            agents.add(new ProcessBuilder(fixture.agentCommand(home, 60)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent-" + i + ".log").toFile()).start());
        }
        try {
            Process loser = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (loser == null && System.nanoTime() < deadline) {
                for (Process p : agents) {
                    if (!p.isAlive()) {
                        loser = p;
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(loser != null, "one of the two agents gave way");
            assertEquals(0, loser.exitValue());
            int index = agents.indexOf(loser);
            assertTrue(Files.readString(dir.resolve("agent-" + index + ".log")).contains("already running"));
            Process winner = agents.get(1 - index);
            AgentFile file = waitForFile(home);
            assertTrue(winner.isAlive());
            assertEquals(winner.pid(), file.pid());
            assertTrue(file.token().matches("[0-9a-f]{32}"), file.token());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("agent.json"))));
            assertEquals(401, get(file.port(), "/conduit/v1/agent", "").statusCode());
            assertEquals(401, get(file.port(), "/v2/models/scale-bias", "not-the-token").statusCode());
            HttpResponse<String> about = get(file.port(), "/conduit/v1/agent", file.token());
            assertEquals(200, about.statusCode(), about.body());
            assertTrue(about.body().contains("\"models\":1"), about.body());
        } finally {
            agents.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void anIdleAgentExitsAndRemovesItsFile() throws Exception {
        BridgeFixture fixture = new BridgeFixture(dir);
        Path home = dir.resolve("home");
        Process agent = new ProcessBuilder(fixture.agentCommand(home, 2)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            waitForFile(home);
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "the agent exits on its own");
            assertEquals(0, agent.exitValue());
            assertFalse(Files.exists(home.resolve("agent.json")), "and takes its file with it");
            assertTrue(Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8).contains("idle for 2 s; exiting"));
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void feedbackSpooledBeforeAKillIsUploadedOnceByTheNextAgent() throws Exception {
        BridgeFixture fixture = new BridgeFixture(dir);
        fixture.addPackage("scale_bias.onnx", "scale-bias", m -> { });
        Path home = dir.resolve("home");
        var engine = new io.conduit.core.engine.local.LocalEngine(io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                () -> io.conduit.core.engine.local.GpuStatus.none("tests"));
        try (var service = io.conduit.server.ConduitServer.start(io.conduit.server.ServerConfig.builder(fixture.models)
                .port(0).feedbackStore(io.conduit.server.feedback.FeedbackStore.open("jdbc:h2:file:" + dir.resolve("feedback-db")))
                .build(), engine)) {
            ProcessBuilder first = new ProcessBuilder(fixture.agentCommand(home, 60)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent-1.log").toFile());
            first.environment().put("CONDUIT_FEEDBACK_UPLOAD", "false"); // nothing leaves before the kill
            Process agent = first.start();
            AgentFile file = waitForFile(home);
            HttpResponse<String> kept = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + file.port()
                            + "/conduit/v1/agent/feedback")).header("Authorization", "Bearer " + file.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"scale-bias\", \"version\": \"1.0.0\","
                            + " \"rating\": 2, \"note\": \"halo on the edges\", \"host\": \"nuke\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, kept.statusCode(), kept.body());
            agent.destroyForcibly().waitFor(); // SIGKILL between spooling and upload
            assertTrue(Files.readString(home.resolve("feedback/spool.jsonl")).contains("halo on the edges"));

            ProcessBuilder second = new ProcessBuilder(fixture.agentCommand(home, 60)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent-2.log").toFile());
            second.environment().put("CONDUIT_FEEDBACK_SERVICE", service.baseUri().toString());
            Process restarted = second.start();
            try {
                String listed = "";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!listed.contains("halo on the edges") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    listed = http.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/conduit/v1/feedback"))
                            .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                }
                assertTrue(listed.contains("halo on the edges"), "the next agent uploaded the spooled note: " + listed);
                Thread.sleep(500);
                String again = http.send(HttpRequest.newBuilder(URI.create(service.baseUri() + "/conduit/v1/feedback"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                assertEquals(1, again.split("halo on the edges", -1).length - 1, "stored exactly once: " + again);
            } finally {
                restarted.destroyForcibly();
            }
        } finally {
            engine.close();
        }
    }

    private static AgentFile waitForFile(Path home) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var file = AgentFile.read(home);
            if (file.isPresent()) {
                return file.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no agent.json in " + home);
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
