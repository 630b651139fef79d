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
 * The Maya bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python drives
 * a fake {@code maya} (bridge-maya/src/test/python/maya) through a real agent process running real
 * models. The Python side is test_maya_bridge.py: the menu built from the agent's list, mesh points
 * and joint transforms written back in one undo chunk, errors and cancel reaching the artist, info,
 * feedback and doctor, and batch use without UI.
 */
class MayaBridgeTest {
    private static final Path ROOT = PythonRunner.ROOT;
    private static final Path SCRIPT = ROOT.resolve("bridge-maya/src/test/python/test_maya_bridge.py");
    private static final List<Path> PYTHON_PATH = List.of(ROOT.resolve("core/src/main/python"),
            ROOT.resolve("bridge-maya/src/main/maya/scripts"), ROOT.resolve("bridge-maya/src/test/python"));

    @TempDir
    static Path dir;

    private static BridgeFixture fixture;

    @BeforeAll
    static void models() throws Exception {
        fixture = new BridgeFixture(dir);
        fixture.addPackage("point_offset.onnx", "mesh-offset", m -> {
            m.add("hosts", hosts("maya", hostEntry("Mesh Offset", "Conduit/Deform",
                    BridgeFixture.floatParameter("amount", 0.5, "amount"))));
            setField(m, "inputs", "P", "role", "points");
            setField(m, "outputs", "moved", "role", "points");
        });
        fixture.addPackage("slow_identity.onnx", "slow-mesh", m -> {
            m.add("hosts", hosts("maya", hostEntry("Slow Mesh", "Conduit/Deform")));
            setField(m, "inputs", "P", "role", "points");
            setField(m, "outputs", "same", "role", "points");
        });
        fixture.addPackage("scale_bias.onnx", "joint-offset", m -> {
            m.add("hosts", hosts("maya", hostEntry("Joint Offset", "Rig")));
            setField(m, "inputs", "x", "role", "transforms");
            setField(m, "outputs", "y", "role", "transforms");
        });
        fixture.addPackage("scale_bias.onnx", "houdini-only", m -> m.add("hosts", hosts("houdini",
                hostEntry("Houdini Only"))));
    }

    @AfterAll
    static void stopAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython"));
        BridgeFixture.stopAgent(dir.resolve("home-jython"));
    }

    @Test
    void underCPython3() throws Exception {
        PythonRunner.cpython(SCRIPT, config(dir.resolve("home-cpython")), PYTHON_PATH, 7);
    }

    @Test
    void underJython() throws Exception {
        PythonRunner.jython("test_maya_bridge", config(dir.resolve("home-jython")), PYTHON_PATH, 7);
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
