package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static io.conduit.installer.bridges.BridgeFixture.setField;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Maya bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python drives
 * a fake {@code maya} (bridge-maya/src/test/python/maya) through a real agent process running real
 * models. The Python side is test_maya_bridge.py: the menu built from the agent's list, mesh points
 * and joint transforms written back in one undo chunk, errors and cancel reaching the artist, info,
 * feedback and doctor, and batch use without UI; then test_maya_day.py: the fake refusing what Maya
 * refuses (API edits outside undo and lost to history, what a saved scene keeps), results on a skinned
 * mesh with a blendShape, units, and the studio day (menu, save, restart, reopen, undo, the farm's mayapy
 * as another user, whose agent this class stops).
 */
class MayaBridgeTest extends BridgeEndToEnd {

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
        fixture.addPackage("point_offset.onnx", "mesh-offset-m", m -> {
            m.add("hosts", hosts("maya", hostEntry("Mesh Offset (m)", "Conduit/Deform",
                    BridgeFixture.floatParameter("amount", 0.5, "amount"))));
            setUnits(m, "inputs", "P", "points", "{\"length\": \"m\"}");
            setUnits(m, "outputs", "moved", "points", "{\"length\": \"m\"}");
        });
        fixture.addPackage("scale_bias.onnx", "joint-offset-si", m -> {
            m.add("hosts", hosts("maya", hostEntry("Joint Offset (m, rad)", "Rig")));
            setUnits(m, "inputs", "x", "transforms", "{\"length\": \"m\", \"angle\": \"rad\"}");
            setUnits(m, "outputs", "y", "transforms", "{\"length\": \"m\", \"angle\": \"rad\"}");
        });
        fixture.addPackage("scale_bias.onnx", "houdini-only", m -> m.add("hosts", hosts("houdini",
                hostEntry("Houdini Only"))));
    }

    /** Stops the agents the farm part of the studio day started in its own, other user's homes. */
    @AfterAll
    static void stopFarmAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython-farm"));
        BridgeFixture.stopAgent(dir.resolve("home-jython-farm"));
    }

    private static void setUnits(JsonObject manifest, String list, String tensor, String role, String units) {
        setField(manifest, list, tensor, "role", role);
        for (JsonElement e : manifest.getAsJsonArray(list)) {
            if (e.getAsJsonObject().get("name").getAsString().equals(tensor)) {
                e.getAsJsonObject().add("units", JsonParser.parseString(units));
            }
        }
    }

    @Override
    String script() {
        return "bridge-maya/src/test/python/test_maya_bridge.py";
    }

    @Override
    List<String> pythonPath() {
        return List.of("core/src/main/python", "bridge-maya/src/main/maya/scripts", "bridge-maya/src/test/python");
    }

    @Override
    int tests() {
        return 13;
    }
}
