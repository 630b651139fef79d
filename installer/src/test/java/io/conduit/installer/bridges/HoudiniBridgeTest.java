package io.conduit.installer.bridges;


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
 * The Houdini bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python
 * drives a fake {@code hou} node (bridge-houdini/src/test/python/hou.py) through a real agent
 * process running real models on ONNX Runtime. The Python side is test_houdini_bridge.py: agent
 * started on demand, models listed per show, attributes written back, wrong token refused, agent
 * killed mid-call then started again, feedback recorded.
 */
class HoudiniBridgeTest {
    private static final Path ROOT = PythonRunner.ROOT;
    private static final Path SCRIPT = ROOT.resolve("bridge-houdini/src/test/python/test_houdini_bridge.py");
    private static final List<Path> PYTHON_PATH = List.of(ROOT.resolve("core/src/main/python"),
            ROOT.resolve("bridge-houdini/src/main/houdini/scripts/python"), ROOT.resolve("bridge-houdini/src/test/python"));

    @TempDir
    static Path dir;

    private static BridgeFixture fixture;

    @BeforeAll
    static void models() throws Exception {
        fixture = new BridgeFixture(dir);
        fixture.addPackage("point_offset.onnx", "point-offset", m -> {
            m.add("hosts", hosts("houdini", BridgeFixture.hostEntry("Point Offset",
                    BridgeFixture.floatParameter("amount", 0.5, "amount"))));
            BridgeFixture.setLayout(m, "inputs", "P", "points");
        });
        fixture.addPackage("slow_identity.onnx", "slow-identity", m -> {
            m.add("hosts", hosts("houdini", BridgeFixture.hostEntry("Slow Identity")));
            BridgeFixture.setLayout(m, "inputs", "P", "points");
        });
        fixture.addPackage("scale_bias.onnx", "show-only", m -> {
            m.add("hosts", hosts("houdini", BridgeFixture.hostEntry("Show Only")));
            JsonArray assets = new JsonArray();
            assets.add("show:XYZ");
            m.add("assets", assets);
        });
        fixture.addPackage("scale_bias.onnx", "maya-only", m -> m.add("hosts", hosts("maya",
                BridgeFixture.hostEntry("Maya Only"))));
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
        PythonRunner.jython("test_houdini_bridge", config(dir.resolve("home-jython")), PYTHON_PATH, 7);
    }

    private static Path config(Path home) throws Exception {
        JsonObject config = new JsonObject();
        config.addProperty("home", home.toString());
        JsonArray command = new JsonArray();
        fixture.agentCommand(home, 120).forEach(command::add);
        config.add("command", command);
        return Files.writeString(dir.resolve(home.getFileName() + ".json"), config.toString());
    }

    private static JsonObject hosts(String host, JsonObject entry) {
        JsonObject hosts = new JsonObject();
        hosts.add(host, entry);
        return hosts;
    }
}
