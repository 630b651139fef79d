package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.io.Npy;
import io.conduit.core.pkg.Sha256;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
        assertTrue(first.getAsJsonObject("timings").get("wallMs").getAsDouble()
                >= first.getAsJsonObject("timings").get("framesMs").getAsDouble(), first.toString());
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

    /** Runs frames 1-3 of x.%d.npy into out/y.%d.npy with {@code options} and returns the JSON report. */
    private JsonObject batch3(Path pkg, String... options) {
        List<String> args = new ArrayList<>(List.of("batch", pkg.toString(), "-i", dir.resolve("x.%d.npy").toString(),
                "-o", dir.resolve("out/y.%d.npy").toString(), "--frames", "1-3", "--jobs", "1",
                "--batch-cache", dir.resolve("cache").toString(), "--json"));
        args.addAll(List.of(options));
        CliRunner run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.err() + run.out());
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    private void threeFrames() throws Exception {
        for (int frame = 1; frame <= 3; frame++) {
            Npy.write(Tensor.ofFloats(new long[]{1, 3}, frame, 0, -1), dir.resolve("x." + frame + ".npy"));
        }
    }

    /** Applies {@code change} to every cache entry's stored y.npy and record. */
    private void rewriteCache(java.util.function.BiConsumer<Path, JsonObject> change) throws Exception {
        List<Path> stored;
        try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
            stored = files.filter(f -> f.getFileName().toString().equals("y.npy")).toList();
        }
        assertEquals(3, stored.size());
        for (Path file : stored) {
            Path record = file.resolveSibling("record.json");
            JsonObject json = JsonParser.parseString(Files.readString(record)).getAsJsonObject();
            change.accept(file, json);
            Files.writeString(record, json.toString());
        }
    }

    /** Replaces every cached y with {@code value}s, digests included, as a cache holding wrong results would. */
    private void poisonCache(float value) throws Exception {
        rewriteCache((file, json) -> {
            Npy.write(Tensor.ofFloats(new long[]{1, 3}, value, value, value), file);
            try {
                json.getAsJsonObject("outputs").addProperty("y", Sha256.ofFile(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void forceRecomputesEveryFrameAndReplacesWhatTheCacheHeld() throws Exception {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        threeFrames();
        assertEquals(3, batch3(pkg, "--device", "cpu").get("ran").getAsInt());
        poisonCache(99f);
        assertEquals(3, batch3(pkg, "--device", "cpu").get("cached").getAsInt(), "without --force the cache answers");
        assertEquals(99f, Npy.read(dir.resolve("out/y.2.npy")).floats().get(0), 0f);

        JsonObject forced = batch3(pkg, "--device", "cpu", "--force");
        assertEquals(3, forced.get("ran").getAsInt(), forced.toString());
        assertEquals(2 * 2 + 1, Npy.read(dir.resolve("out/y.2.npy")).floats().get(0), 0f, "recomputed");
        Files.delete(dir.resolve("out/y.3.npy"));
        assertEquals(1, batch3(pkg, "--device", "cpu").get("cached").getAsInt());
        assertEquals(2 * 3 + 1, Npy.read(dir.resolve("out/y.3.npy")).floats().get(0), 0f, "the cache holds the new result");
    }

    @Test
    void anotherRoutesResultsAnswerARemoteRunOnlyWhenDigestsProveTheSamePackage() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path pkg = TestModels.packageOf("scale_bias.onnx", models);
        threeFrames();
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("no GPU in tests"));
             ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).build(), engine)) {
            String url = server.baseUri().toString();
            assertEquals(3, batch3(pkg, "--device", "cpu").get("ran").getAsInt());
            assertEquals(3, batch3(pkg, "--device", "remote", "--remote", url).get("done-before").getAsInt(),
                    "the CPU ran this very package (same digest): its results stand for the service's");

            // Entries from before routes were recorded say nothing of who filled them: a remote run computes.
            rewriteCache((file, json) -> {
                JsonObject outputs = json.getAsJsonObject("outputs");
                json.entrySet().clear();
                json.add("y", outputs.get("y"));
            });
            JsonObject remote = batch3(pkg, "--device", "remote", "--remote", url);
            assertEquals(3, remote.get("ran").getAsInt(), remote.toString());
            assertEquals("remote", remote.getAsJsonArray("frames").get(0).getAsJsonObject().get("detail").getAsString());
            assertEquals(3, batch3(pkg, "--device", "cpu").get("done-before").getAsInt(),
                    "the service confirmed the package digest, so its results answer the CPU route");

            // A service that did not confirm its package (an older one): its results answer only remote runs.
            rewriteCache((file, json) -> {
                json.addProperty("route", "remote");
                json.remove("package");
            });
            assertEquals(3, batch3(pkg, "--device", "remote", "--remote", url).get("done-before").getAsInt());
            JsonObject local = batch3(pkg, "--device", "cpu");
            assertEquals(3, local.get("ran").getAsInt(), "a service's unproven result never answers a local run: " + local);

            JsonObject forced = batch3(pkg, "--device", "remote", "--remote", url, "--force");
            assertEquals(3, forced.get("ran").getAsInt(), "--force recomputes on the remote route too: " + forced);
            assertEquals(2 * 1 + 1, Npy.read(dir.resolve("out/y.1.npy")).floats().get(0), 0f);
        }
    }

    @Test
    void cachePruneEmptiesTheBatchCacheDownToItsBound() throws Exception {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        threeFrames();
        assertEquals(3, batch3(pkg, "--device", "cpu").get("ran").getAsInt());
        CliRunner kept = CliRunner.run("cache", "prune", "--batch-cache", dir.resolve("cache").toString(), "--json");
        assertEquals(0, kept.status(), kept.err());
        assertEquals(0, JsonParser.parseString(kept.out()).getAsJsonObject().get("removed").getAsInt(),
                "three small frames fit batchCache.maxMiB's default");

        CliRunner prune = CliRunner.run("cache", "prune", "--batch-cache", dir.resolve("cache").toString(),
                "--max-mib", "0", "--json");
        assertEquals(0, prune.status(), prune.err());
        JsonObject report = JsonParser.parseString(prune.out()).getAsJsonObject();
        assertEquals(3, report.get("removed").getAsInt(), report.toString());
        assertEquals(0, report.get("kept").getAsInt());
        JsonObject again = batch3(pkg, "--device", "cpu");
        assertEquals(3, again.get("ran").getAsInt(), "no record is left to verify the frames against: " + again);
    }
}
