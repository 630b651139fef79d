package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hosts;

import com.google.gson.JsonArray;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Houdini bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python
 * drives a fake {@code hou} node (bridge-houdini/src/test/python/hou.py) through a real agent
 * process running real models on ONNX Runtime. The Python side is test_houdini_bridge.py: agent
 * started on demand, models listed per show, attributes written back, wrong token refused, agent
 * killed mid-call then started again, feedback recorded; and test_houdini_studio_day.py: the fake
 * refusing what Houdini refuses, then a studio day (shelf, cook, save, reopen in a fresh session,
 * recook only for new inputs, a farm cook in hython as a user without ~/.conduit).
 */
class HoudiniBridgeTest extends BridgeEndToEnd {

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

    @Override
    String script() {
        return "bridge-houdini/src/test/python/test_houdini_bridge.py";
    }

    @Override
    List<String> pythonPath() {
        return List.of("core/src/main/python", "bridge-houdini/src/main/houdini/scripts/python", "bridge-houdini/src/test/python");
    }

    @Override
    int tests() {
        return 15;
    }
}
