package io.conduit.bridge.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NukeGizmoTest {
    private static final Manifest DEMO = ManifestReader.read(Path.of("../installer/src/dist/demo/denoiser/package/conduit.json"));

    @Test
    void oneClassPerModelAndMajorVersion() {
        assertEquals("Conduit_plate_denoiser_v2", NukeGizmo.className("plate-denoiser", 2));
        assertEquals("Conduit_demo_denoiser_v" + DEMO.version().major(), NukeGizmo.className(DEMO));
    }

    @Test
    void everyPersistentStateIsATopLevelKnobAndTheVersionPinHasNoDefault() {
        String text = NukeGizmo.text(DEMO);
        String header = text.substring(0, text.indexOf("\n}\n"));
        assertTrue(header.contains("addUserKnob {1 conduit_version l version +INVISIBLE}"));
        assertFalse(header.contains("\n conduit_version "), "an empty default, so a pinned version is always saved");
        assertTrue(header.contains("addUserKnob {2 conduit_cache "), "the cache folder is a saved knob");
        String inner = text.substring(text.indexOf("\n}\n"));
        assertTrue(inner.contains("file {" + NukeGizmo.FOLDER_EXPRESSION + "/out.%04d.exr}"),
                "the Read's path is an expression over the gizmo's knobs, not a value set on it");
        assertTrue(inner.contains("file {" + NukeGizmo.FOLDER_EXPRESSION + "/in.%04d.exr}"));
        assertFalse(inner.contains("\\"), "forward slashes only: file knobs are TCL");
        assertTrue(inner.contains("compression \"Zip (16 scanlines)\""), "side files are compressed");
    }

    @Test
    void labelsAreQuotedForTcl() {
        assertEquals("\"a \\\"b\\\" \\[c\\] \\$d \\\\ e\\nf\"", NukeGizmo.quote("a \"b\" [c] $d \\ e\nf"));
    }

    @Test
    void theFolderHoldsOneGizmoPerMajorFromItsNewestVersionAndLeavesSameTextAlone(@TempDir Path dir) throws Exception {
        NukeGizmoFolder folder = new NukeGizmoFolder(dir.resolve("gizmos"));
        List<String> classes = folder.write(List.of(DEMO));
        Path file = dir.resolve("gizmos").resolve(classes.get(0) + ".gizmo");
        assertEquals(NukeGizmo.text(DEMO), Files.readString(file));
        var before = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1000));
        folder.write(List.of(DEMO));
        assertEquals(1000, Files.getLastModifiedTime(file).toMillis(), "an unchanged gizmo is not rewritten");
        assertTrue(before.toMillis() > 1000);
    }
}
