package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.io.Npy;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit batch on numbered .npy frames through a real model: failures, resume, cache. */
class BatchCommandTest {
    @TempDir
    Path dir;

    private JsonObject batch(Path pkg, int expectedStatus) {
        CliRunner run = CliRunner.run("batch", pkg.toString(), "-i", dir.resolve("x.%04d.npy").toString(),
                "-o", dir.resolve("out/y.####.npy").toString(), "--frames", "1001-1005", "--jobs", "2",
                "--batch-cache", dir.resolve("cache").toString(), "--device", "cpu", "--json");
        assertEquals(expectedStatus, run.status(), run.err() + run.out());
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    @Test
    void framesRunInParallelFailAloneAndResumeFromTheCache() throws Exception {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        for (int frame : new int[]{1001, 1002, 1004, 1005}) {
            Npy.write(Tensor.ofFloats(new long[]{1, 3}, frame, 0, -1), dir.resolve("x." + frame + ".npy"));
        }
        JsonObject first = batch(pkg, 3);
        assertEquals(4, first.get("ran").getAsInt());
        assertEquals(1, first.get("failed").getAsInt());
        assertTrue(first.toString().contains("does not exist"), first.toString());
        assertEquals(2 * 1004 + 1, Npy.read(dir.resolve("out/y.1004.npy")).floats().get(0), 0f);

        Npy.write(Tensor.ofFloats(new long[]{1, 3}, 1003, 0, -1), dir.resolve("x.1003.npy"));
        JsonObject resumed = batch(pkg, 0);
        assertEquals(4, resumed.get("done-before").getAsInt(), "finished frames are verified and skipped");
        assertEquals(1, resumed.get("ran").getAsInt(), "only the missing frame runs");

        Files.delete(dir.resolve("out/y.1002.npy"));
        Files.write(dir.resolve("out/y.1005.npy"), new byte[]{1, 2, 3}); // damaged on disk
        JsonObject repaired = batch(pkg, 0);
        assertEquals(2, repaired.get("cached").getAsInt(), "a lost and a damaged output come back from the cache");
        assertEquals(0, repaired.get("ran").getAsInt());
        assertEquals(2 * 1005 + 1, Npy.read(dir.resolve("out/y.1005.npy")).floats().get(0), 0f);
        assertEquals(-1, Npy.read(dir.resolve("out/y.1002.npy")).floats().get(2), 0f);
    }
}
