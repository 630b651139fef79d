package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that changes something answers --json with one object a script can read. */
class ChangingCommandsJsonTest {
    @TempDir
    Path dir;

    private static JsonObject json(CliRunner run) {
        assertEquals(0, run.status(), run.err());
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    @Test
    void convertSealInstallAndUninstallAnswerJson() throws Exception {
        Path npy = dir.resolve("plate.npy");
        JsonObject converted = json(CliRunner.run("convert", "../core/src/test/resources/exr/scan_zip.exr", npy.toString(), "--json"));
        assertEquals(npy.toString(), converted.get("output").getAsString());
        assertTrue(converted.getAsJsonArray("channels").size() > 0, converted.toString());

        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Files.writeString(pkg.resolve("notes.txt"), "release notes");
        JsonObject sealed = json(CliRunner.run("seal", pkg.toString(), "--json"));
        assertTrue(sealed.getAsJsonObject("files").has("notes.txt"), sealed.toString());

        Path studio = dir.resolve("studio");
        JsonObject dry = json(CliRunner.run("install", "--scope", "studio", studio.toString(), "--root",
                dir.resolve("conduit").toString(), "--dry-run", "--json"));
        assertTrue(dry.get("dryRun").getAsBoolean());
        assertTrue(dry.getAsJsonArray("planned").toString().contains("conduit-env.sh"), dry.toString());
        JsonObject installed = json(CliRunner.run("install", "--scope", "studio", studio.toString(), "--root",
                dir.resolve("conduit").toString(), "--json"));
        assertTrue(installed.getAsJsonArray("report").size() > 0, installed.toString());
        assertEquals(studio.resolve("conduit-env.sh").toString(), installed.get("environment").getAsString());
        JsonObject removed = json(CliRunner.run("uninstall", "--scope", "studio", studio.toString(), "--json"));
        assertTrue(removed.getAsJsonArray("report").size() > 0, removed.toString());
    }
}
