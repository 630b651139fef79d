package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.conduit.bridge.nuke.NukeGizmo;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GizmosCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesOneGizmoPerModelAndMajorVersionIntoTheGivenFolder() throws Exception {
        Path demo = Path.of("src/dist/demo/denoiser/package");
        Path copy = Files.createDirectories(dir.resolve("models/demo"));
        try (var files = Files.list(demo)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Manifest manifest = ManifestReader.read(demo.resolve("conduit.json"));
        CliRunner run = CliRunner.run("gizmos", "--models", dir.resolve("models").toString(), "--out",
                dir.resolve("gizmos").toString(), "--json");
        assertEquals(0, run.status(), run.err());
        String cls = NukeGizmo.className(manifest);
        assertEquals(cls, JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("classes").get(0).getAsString());
        assertEquals(NukeGizmo.text(manifest), Files.readString(dir.resolve("gizmos").resolve(cls + ".gizmo")));
        CliRunner missing = CliRunner.run("gizmos", "--models", dir.resolve("nowhere").toString(), "--out", dir.toString());
        assertEquals(ErrorCode.FILE_NOT_FOUND.exitStatus(), missing.status());
        assertTrue(missing.err().contains("is not a folder"), missing.err());
    }
}
