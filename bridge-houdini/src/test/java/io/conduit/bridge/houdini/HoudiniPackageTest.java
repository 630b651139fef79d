package io.conduit.bridge.houdini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HoudiniPackageTest {
    @Test
    void pointsHoudiniAtTheBridgeAndTheSharedClient() {
        JsonObject pkg = JsonParser.parseString(HoudiniPackage.render(Path.of("/opt/conduit"), "0.1.0")).getAsJsonObject();
        assertEquals("$CONDUIT_HOUDINI", pkg.get("path").getAsString());
        assertTrue(pkg.get("load_package_once").getAsBoolean());
        assertEquals("0.1.0", pkg.get("version").getAsString());
        JsonArray env = pkg.getAsJsonArray("env");
        assertEquals("/opt/conduit", env.get(0).getAsJsonObject().get("CONDUIT_ROOT").getAsString());
        JsonObject pythonPath = env.get(2).getAsJsonObject().getAsJsonObject("PYTHONPATH");
        assertEquals("$CONDUIT_ROOT/python", pythonPath.get("value").getAsString());
        assertEquals("prepend", pythonPath.get("method").getAsString());
    }

    @Test
    void theFoldersItNamesExistInTheBridgeAndEveryPythonFolderHasTheShim() throws Exception {
        Path houdini = Path.of("src/main/houdini");
        for (String folder : new String[]{"python2.7libs", "python3.7libs", "python3.9libs", "python3.10libs",
                "python3.11libs"}) {
            String shim = Files.readString(houdini.resolve(folder).resolve("pythonrc.py"));
            assertTrue(shim.contains("conduit_houdini.install()"), folder);
        }
        assertTrue(Files.isRegularFile(houdini.resolve("toolbar/conduit.shelf")));
        assertTrue(Files.isRegularFile(houdini.resolve("scripts/python/conduit_houdini/sop.py")));
    }
}
