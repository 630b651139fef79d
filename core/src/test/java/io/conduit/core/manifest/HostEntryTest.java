package io.conduit.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostEntryTest {
    @Test
    void menuPathFilesTheModelUnderConduitOnce() {
        assertEquals("Conduit/Image/Plates/Denoise", new HostEntry("Denoise", "Conduit/Image/Plates", List.of()).menuPath());
        assertEquals("Conduit/Denoise", new HostEntry("Denoise", "Conduit", List.of()).menuPath());
        assertEquals("Conduit/Texture/Denoise", new HostEntry("Denoise", "Texture", List.of()).menuPath());
    }
}
