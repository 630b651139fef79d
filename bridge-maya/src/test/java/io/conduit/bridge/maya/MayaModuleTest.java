package io.conduit.bridge.maya;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MayaModuleTest {
    @Test
    void oneModuleBlockWithNoBlankLineThatWouldStopMayaReadingIt() {
        List<String> lines = MayaModule.render(Path.of("/opt/conduit"), "0.1.0").lines().toList();
        assertEquals("+ Conduit 0.1.0 /opt/conduit/maya", lines.get(0));
        assertTrue(lines.contains("CONDUIT_ROOT=/opt/conduit"));
        assertTrue(lines.contains("PYTHONPATH+=/opt/conduit/python"));
        assertTrue(lines.stream().noneMatch(String::isBlank), lines.toString());
    }

    @Test
    void aRootWithSpacesIsTheRestOfTheModuleLineAsMayaReadsIt() {
        // DCC_API.md 14: "+ mtoa any C:\\Program Files\\Autodesk\\Arnold\\maya2022", the path is the rest of the line.
        List<String> lines = MayaModule.render(Path.of("/opt/Studio Tools/conduit 1"), "0.1.0").lines().toList();
        String[] module = lines.get(0).split(" ", 4);
        assertEquals(List.of("+", "Conduit", "0.1.0", "/opt/Studio Tools/conduit 1/maya"), List.of(module));
        assertTrue(lines.contains("CONDUIT_ROOT=/opt/Studio Tools/conduit 1"), lines.toString());
        assertTrue(lines.contains("PYTHONPATH+=/opt/Studio Tools/conduit 1/python"), lines.toString());
    }

    @Test
    void aLineBreakInTheRootIsRefusedSinceItWouldEndTheModuleLine() {
        ConduitException e = assertThrows(ConduitException.class,
                () -> MayaModule.render(Path.of("/opt/con\nduit"), "0.1.0"));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
    }

    @Test
    void theShimNeverBuildsUiInBatchMode() throws Exception {
        String shim = Files.readString(Path.of("src/main/maya/scripts/userSetup.py"));
        assertTrue(shim.contains("if not cmds.about(batch=True):"));
        assertTrue(shim.contains("cmds.evalDeferred(conduit_maya.install, lowestPriority=True)"));
    }
}
