package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static io.conduit.installer.bridges.BridgeFixture.setField;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nuke bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python drives a
 * fake {@code nuke} (bridge-nuke/src/test/python/nuke.py) whose Write renders real EXR files, through a
 * real agent that reads them with core's EXR codec, runs a real model and writes EXRs back. The Python
 * side is test_nuke_bridge.py: the menu and generated gizmos, a run over a frame range checked pixel by
 * pixel, the cache, errors, Bake to Group, feedback and doctor, and init.py without a GUI.
 */
class NukeBridgeTest {
    private static final Path ROOT = PythonRunner.ROOT;
    private static final Path SCRIPT = ROOT.resolve("bridge-nuke/src/test/python/test_nuke_bridge.py");
    private static final List<Path> PYTHON_PATH = List.of(ROOT.resolve("core/src/main/python"),
            ROOT.resolve("bridge-nuke/src/main/nuke"), ROOT.resolve("bridge-nuke/src/test/python"));

    @TempDir
    static Path dir;

    private static BridgeFixture fixture;

    @BeforeAll
    static void models() throws Exception {
        fixture = new BridgeFixture(dir);
        fixture.addPackage("image_gain.onnx", "image-gain", m -> {
            m.add("hosts", hosts("nuke", hostEntry("Image Gain", "Conduit/Grade",
                    BridgeFixture.floatParameter("gain", 0.5, "gain"))));
            setField(m, "inputs", "image", "layout", "NCHW");
            setField(m, "outputs", "graded", "layout", "NCHW");
        });
        fixture.addPackage("scale_bias.onnx", "maya-only", m -> m.add("hosts", hosts("maya", hostEntry("Maya Only"))));
    }

    @AfterAll
    static void stopAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython"));
        BridgeFixture.stopAgent(dir.resolve("home-jython"));
    }

    @Test
    void underCPython3() throws Exception {
        PythonRunner.cpython(SCRIPT, config(dir.resolve("home-cpython")), PYTHON_PATH, 6);
    }

    @Test
    void underJython() throws Exception {
        PythonRunner.jython("test_nuke_bridge", config(dir.resolve("home-jython")), PYTHON_PATH, 6);
    }

    private static Path config(Path home) throws Exception {
        JsonObject config = new JsonObject();
        config.addProperty("home", home.toString());
        JsonArray command = new JsonArray();
        fixture.agentCommand(home, 120).forEach(command::add);
        config.add("command", command);
        return Files.writeString(dir.resolve(home.getFileName() + ".json"), config.toString());
    }
}
