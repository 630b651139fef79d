package io.conduit.installer.bridges;

import static io.conduit.installer.bridges.BridgeFixture.hostEntry;
import static io.conduit.installer.bridges.BridgeFixture.hosts;
import static io.conduit.installer.bridges.BridgeFixture.setField;

import com.google.gson.JsonObject;
import io.conduit.bridge.nuke.NukeGizmoFolder;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.pkg.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Nuke bridge end to end, under CPython 3 and under Jython 2.7: the bridge's own Python drives a
 * fake {@code nuke} (bridge-nuke/src/test/python/nuke.py) that saves and reopens scripts as Nuke does
 * and renders real EXR files, through a real agent that runs a real model. The gizmos are written into
 * an "installed" folder by the same Java as {@code conduit gizmos}. The Python side is
 * test_nuke_bridge.py: the menu and installed gizmos, runs checked pixel by pixel with compressed side
 * files in the cache beside the script, the cache, errors, Bake to Group, feedback and doctor, init.py
 * without a GUI, version updates the artist chooses, and the studio day: create, run, save, reopen,
 * rerun, and the farm render as another user without a GUI.
 */
class NukeBridgeTest extends BridgeEndToEnd {
    static Path gizmos;

    @BeforeAll
    static void models() throws Exception {
        fixture = new BridgeFixture(dir);
        Consumer<JsonObject> gain = m -> {
            m.add("hosts", hosts("nuke", hostEntry("Image Gain \u00e9", "Conduit/Grade",
                    BridgeFixture.floatParameter("gain", 0.5, "gain"))));
            setField(m, "inputs", "image", "layout", "NCHW");
            setField(m, "inputs", "image", "role", "image");
            setField(m, "outputs", "graded", "layout", "NCHW");
            // A grade works on scene-linear light: the plate goes in as the EXR holds it (no sRGB curve).
            setField(m, "inputs", "image", "colorSpace", "linear");
            setField(m, "outputs", "graded", "colorSpace", "linear");
        };
        fixture.addPackage("image_gain.onnx", "image-gain", gain);
        fixture.addPackage("image_gain.onnx", "image-gain", "image-gain-1.1.0", gain.andThen(m -> m.addProperty("version", "1.1.0")));
        fixture.addPackage("scale_bias.onnx", "maya-only", m -> m.add("hosts", hosts("maya", hostEntry("Maya Only"))));
        gizmos = dir.resolve("installed").resolve("nuke").resolve("gizmos");
        try (Stream<Path> packages = Files.list(fixture.models)) {
            List<Manifest> manifests = packages.map(p -> ManifestReader.read(p.resolve(ModelPackage.MANIFEST))).toList();
            new NukeGizmoFolder(gizmos).write(manifests);
        }
    }

    @AfterAll
    static void stopFarmAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython-farm"));
        BridgeFixture.stopAgent(dir.resolve("home-jython-farm"));
    }

    @Override
    void configure(JsonObject config) {
        config.addProperty("gizmos", gizmos.toString());
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
        return 8;
    }
}
