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

class ExportTritonCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonSaysWhichTritonVersionEachPackageBecame() throws Exception {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Path repo = dir.resolve("triton");
        CliRunner first = CliRunner.run("models", "export-triton", repo.toString(), pkg.toString(), "--json");
        assertEquals(0, first.status(), first.err());
        JsonObject exported = JsonParser.parseString(first.out()).getAsJsonObject().getAsJsonArray("exported").get(0)
                .getAsJsonObject();
        assertEquals("scale-bias", exported.get("model").getAsString());
        assertEquals("1.0.0", exported.get("version").getAsString());
        assertEquals(1, exported.get("tritonVersion").getAsLong());
        assertEquals(false, exported.get("alreadyExported").getAsBoolean());
        assertEquals(io.conduit.core.pkg.Sha256.ofFile(pkg.resolve("conduit.json")),
                exported.get("manifestSha256").getAsString());
        assertTrue(Files.isRegularFile(repo.resolve("scale-bias/1/model.onnx")));

        CliRunner again = CliRunner.run("models", "export-triton", repo.toString(), pkg.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().startsWith("already exported scale-bias@1.0.0 as Triton version 1 in "), again.out());
    }
}
