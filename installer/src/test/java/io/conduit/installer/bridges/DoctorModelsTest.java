package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.server.agent.AgentFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conduit doctor --models} asks the running agent what it offers per application and why the rest is hidden. */
class DoctorModelsTest {
    @TempDir
    Path dir;

    private Process agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.destroyForcibly();
        }
    }

    @Test
    void doctorSaysWhichModelsTheAgentOffersAndWhyOthersAreHidden() throws Exception {
        BridgeFixture fixture = new BridgeFixture(dir);
        fixture.addPackage("scale_bias.onnx", "show-only", m -> {
            m.add("hosts", hosts("houdini", hostEntry("Show Only")));
            JsonArray assets = new JsonArray();
            assets.add("show:XYZ");
            m.add("assets", assets);
        });
        fixture.addPackage("scale_bias.onnx", "maya-tool", m -> m.add("hosts", hosts("maya", hostEntry("Maya Tool"))));
        Path home = dir.resolve("home");
        agent = new ProcessBuilder(fixture.agentCommand(home, 120)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 600 && AgentFile.read(home).isEmpty(); i++) {
            assertTrue(agent.isAlive(), "the agent stopped: " + java.nio.file.Files.readString(dir.resolve("agent.log")));
            Thread.sleep(100); // polling for the agent's file: it appears when the agent is listening
        }
        List<String> command = new ArrayList<>(io.conduit.core.testing.TestJava.command("io.conduit.installer.cli.ConduitMain"));
        command.addAll(List.of("doctor", "--models", "--json"));
        ProcessBuilder doctor = new ProcessBuilder(command);
        doctor.environment().put("CONDUIT_HOME", home.toString());
        doctor.environment().put("HOME", dir.toString());
        doctor.environment().put("SHOW", "ABC");
        Process process = doctor.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        JsonObject models = JsonParser.parseString(out).getAsJsonObject().getAsJsonObject("agentModels");
        assertEquals("[]", models.getAsJsonObject("houdini").getAsJsonArray("offered").toString(), models.toString());
        String hidden = models.getAsJsonObject("houdini").getAsJsonArray("hidden").toString();
        assertTrue(hidden.contains("show-only is for show XYZ; SHOW is ABC"), hidden);
        assertTrue(hidden.contains("declares no hosts.houdini entry; it is offered in maya"), hidden);
        assertTrue(models.getAsJsonObject("maya").getAsJsonArray("offered").toString().contains("maya-tool@"),
                models.toString());
    }
}
