package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static io.conduit.installer.bridges.BridgeFixture.setField;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Nuke bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python drives a
 * fake {@code nuke} (bridge-nuke/src/test/python/nuke.py) whose Write renders real EXR files, through a
 * real agent that reads them with core's EXR codec, runs a real model and writes EXRs back. The Python
 * side is test_nuke_bridge.py: the menu and generated gizmos, a run over a frame range checked pixel by
 * pixel, the cache, errors, Bake to Group, feedback and doctor, and init.py without a GUI.
 */
class NukeBridgeTest extends BridgeEndToEnd {

    @BeforeAll
    static void models() throws Exception {
        fixture = new BridgeFixture(dir);
        fixture.addPackage("image_gain.onnx", "image-gain", m -> {
            m.add("hosts", hosts("nuke", hostEntry("Image Gain", "Conduit/Grade",
                    BridgeFixture.floatParameter("gain", 0.5, "gain"))));
            setField(m, "inputs", "image", "layout", "NCHW");
            setField(m, "outputs", "graded", "layout", "NCHW");
            // A gain works on Nuke's scene-linear values as they are; sRGB (the draft's guess) would encode them first.
            setField(m, "inputs", "image", "colorSpace", "linear");
            setField(m, "outputs", "graded", "colorSpace", "linear");
        });
        fixture.addPackage("scale_bias.onnx", "maya-only", m -> m.add("hosts", hosts("maya", hostEntry("Maya Only"))));
    }

    @Override
    String script() {
        return "bridge-nuke/src/test/python/test_nuke_bridge.py";
    }

    @Override
    List<String> pythonPath() {
        return List.of("core/src/main/python", "bridge-nuke/src/main/nuke", "bridge-nuke/src/test/python");
    }

    @Override
    int tests() {
        return 6;
    }
}
