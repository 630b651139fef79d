package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static io.conduit.installer.bridges.BridgeFixture.setField;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.function.Consumer;
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
        String metres = "{\"length\": \"m\"}";
        fixture.addPackage("point_offset.onnx", "mesh-offset", maya("Mesh Offset", "Conduit/Deform", "points", "P", "moved",
                null, BridgeFixture.floatParameter("amount", 0.5, "amount")));
        fixture.addPackage("slow_identity.onnx", "slow-mesh", maya("Slow Mesh", "Conduit/Deform", "points", "P", "same",
                null));
        fixture.addPackage("scale_bias.onnx", "joint-offset", maya("Joint Offset", "Rig", "transforms", "x", "y", null));
        fixture.addPackage("point_offset.onnx", "mesh-offset-m", maya("Mesh Offset (m)", "Conduit/Deform", "points", "P",
                "moved", metres, BridgeFixture.floatParameter("amount", 0.5, "amount")));
        fixture.addPackage("scale_bias.onnx", "joint-offset-si", maya("Joint Offset (m, rad)", "Rig", "transforms", "x", "y",
                "{\"length\": \"m\", \"angle\": \"rad\"}"));
        fixture.addPackage("scale_bias.onnx", "houdini-only", m -> m.add("hosts", hosts("houdini",
                hostEntry("Houdini Only"))));
    }

    /** Stops the agents the farm part of the studio day started in its own, other user's homes. */
    @AfterAll
    static void stopFarmAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython-farm"));
        BridgeFixture.stopAgent(dir.resolve("home-jython-farm"));
    }

    /** A Maya menu entry whose input and output tensors have {@code role} and, unless null, {@code units} (JSON). */
    private static Consumer<JsonObject> maya(String label, String category, String role, String input, String output,
                                             String units, JsonObject... parameters) {
        return m -> {
            m.add("hosts", hosts("maya", hostEntry(label, category, parameters)));
            for (String[] tensor : new String[][]{{"inputs", input}, {"outputs", output}}) {
                setField(m, tensor[0], tensor[1], "role", role);
                for (JsonElement e : m.getAsJsonArray(tensor[0])) {
                    if (units != null && e.getAsJsonObject().get("name").getAsString().equals(tensor[1])) {
                        e.getAsJsonObject().add("units", JsonParser.parseString(units));
                    }
                }
            }
        };
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
