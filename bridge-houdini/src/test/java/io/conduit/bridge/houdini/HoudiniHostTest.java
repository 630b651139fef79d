package io.conduit.bridge.houdini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HoudiniHostTest {
    @Test
    void readsTheDemoModelsEntry() {
        Manifest demo = ManifestReader.read(Path.of("../installer/src/dist/demo/denoiser/package/conduit.json"));
        HostEntry entry = HoudiniHost.entry(demo).orElseThrow();
        assertEquals(demo.hosts().get("houdini"), entry);
        assertEquals(entry.label(), entry.menuPath().substring(entry.menuPath().lastIndexOf('/') + 1));
    }
}
