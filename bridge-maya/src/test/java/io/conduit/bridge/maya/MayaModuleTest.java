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
    void aPathWithSpacesIsRefusedBecauseTheModuleLineIsSpaceSeparated() {
        ConduitException e = assertThrows(ConduitException.class,
                () -> MayaModule.render(Path.of("/opt/my conduit"), "0.1.0"));
        assertTrue(e.getMessage().contains("contains a space"), e.getMessage());
    }

    @Test
    void theShimNeverBuildsUiInBatchMode() throws Exception {
        String shim = Files.readString(Path.of("src/main/maya/scripts/userSetup.py"));
        assertTrue(shim.contains("if not cmds.about(batch=True):"));
        assertTrue(shim.contains("cmds.evalDeferred(conduit_maya.install, lowestPriority=True)"));
    }
}
