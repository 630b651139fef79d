package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.io.Npy;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conduit command end to end, in-process: real packages, real ONNX Runtime, real files. */
class CliTest {
    @TempDir
    Path dir;

    private Path initPackage(String model) {
        Path out = dir.resolve(model.replace(".onnx", "-pkg"));
        CliRunner r = CliRunner.run("init", TestModels.onnx(model).toString(), "--name", "test-model", "--version", "1.2.0",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return out;
    }

    @Test
    void initInspectRunRoundTripWithJson() throws Exception {
        Path pkg = initPackage("two_in_two_out.onnx");
        CliRunner inspect = CliRunner.run("inspect", pkg.toString());
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains("in   a FP32[rows, 3]"), inspect.out());
        assertTrue(inspect.out().contains("Lineage:"), inspect.out());

        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Npy.write(Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3), a);
        Npy.write(Tensor.ofFloats(new long[]{1, 3}, 4, 5, 6), b);
        Path sum = dir.resolve("out/sum.npy");
        CliRunner run = CliRunner.run("run", pkg.toString(), "--input", "a=" + a, "--input", "b=" + b,
                "--output", "sum=" + sum, "--device", "cpu", "--json");
        assertEquals(0, run.status(), run.err());
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("test-model", json.get("model").getAsString());
        assertEquals("1.2.0", json.get("version").getAsString());
        assertEquals("local-cpu", json.get("route").getAsString());
        assertEquals("device cpu was requested", json.get("reason").getAsString());
        assertTrue(json.get("millis").getAsDouble() > 0);
        JsonObject timings = json.getAsJsonObject("timings");
        double phases = timings.get("openMs").getAsDouble() + timings.get("readMs").getAsDouble()
                + timings.get("inferMs").getAsDouble() + timings.get("writeMs").getAsDouble();
        assertTrue(timings.get("wallMs").getAsDouble() >= phases && phases > 0, "wall time covers every phase: " + timings);
        assertTrue(timings.get("inferMs").getAsDouble() >= timings.get("computeMs").getAsDouble(), timings.toString());
        Tensor result = Npy.read(sum);
        assertEquals(9f, result.floats().get(2));
    }

    @Test
    void singleInputAndOutputNeedNoNames() throws Exception {
        Path pkg = initPackage("scale_bias.onnx");
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(new long[]{2, 2}, 0, 1, 2, 3), x);
        Path y = dir.resolve("y.npy");
        CliRunner run = CliRunner.run("run", pkg.toString(), "--input", x.toString(), "--output", y.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("ran on local-"), run.out());
        assertTrue(run.out().matches("(?s).*time: +wall [0-9.]+ m?s: start-up .*, open .*, read .*, infer .* \\(ONNX Runtime .*\\),"
                + " write .*"), run.out());
        assertEquals(7f, Npy.read(y).floats().get(3));
    }

    @Test
    void imagesMapThroughTheManifest() throws Exception {
        Path pkg = initPackage("invert_nhwc.onnx");
        Path png = dir.resolve("in.png");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x204080);
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Path out = dir.resolve("inverted.png");
        CliRunner run = CliRunner.run("run", pkg.toString(), "-i", png.toString(), "-o", out.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals(0xdfbf7f, javax.imageio.ImageIO.read(out.toFile()).getRGB(1, 1) & 0xffffff);
    }

    @Test
    void badInputsExitWithTheirCodeAndWriteNothing() throws Exception {
        Path pkg = initPackage("two_in_two_out.onnx");
        Path a = dir.resolve("a.npy");
        Npy.write(Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3), a);
        Path ints = dir.resolve("ints.npy");
        Npy.write(Tensor.allocate(DataType.INT32, 1, 3), ints);
        Path wide = dir.resolve("wide.npy");
        Npy.write(Tensor.allocate(DataType.FP32, 1, 4), wide);
        Path out = dir.resolve("never.npy");

        expectFailure(3, "no such file: " + dir.resolve("missing.npy"),
                "run", pkg.toString(), "-i", "a=" + dir.resolve("missing.npy"), "-i", "b=" + a, "-o", "sum=" + out);
        expectFailure(7, "unknown input \"c\"; expected one of [a, b]",
                "run", pkg.toString(), "-i", "a=" + a, "-i", "c=" + a, "-o", "sum=" + out);
        expectFailure(7, "input \"b\" is INT32; expected FP32",
                "run", pkg.toString(), "-i", "a=" + a, "-i", "b=" + ints, "-o", "sum=" + out);
        expectFailure(7, "input \"a\" has shape [1, 4]; expected [-1, 3]",
                "run", pkg.toString(), "-i", "a=" + wide, "-i", "b=" + a, "-o", "sum=" + out);
        expectFailure(8, "unsupported file type; expected .npy, .exr, .png, .jpg or .jpeg",
                "run", pkg.toString(), "-i", "a=" + a, "-i", "b=" + a, "-o", "sum=" + dir.resolve("x.tiff"));
        expectFailure(2, "device \"tpu\" is not one of auto, gpu, cpu, remote",
                "run", pkg.toString(), "-i", "a=" + a, "-i", "b=" + a, "--device", "tpu");
        expectFailure(9, "device gpu was requested (by --device gpu) but",
                "run", pkg.toString(), "-i", "a=" + a, "-i", "b=" + a, "--device", "gpu");
        assertFalse(Files.exists(out), "a failed run writes no output");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files remain");
        }
    }

    @Test
    void damagedPackagesAndModelsAreRefused() throws Exception {
        Path pkg = initPackage("scale_bias.onnx");
        Path manifest = pkg.resolve("conduit.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replace("\"FP32\"", "\"FLOAT\""));
        expectFailure(4, "inputs[0].datatype is \"FLOAT\"; expected one of BOOL, UINT8, INT32, INT64, FP16, FP32, FP64, INT8, INT16, UINT16, UINT32, UINT64, BF16",
                "inspect", pkg.toString());
        Files.writeString(manifest, original);
        Files.write(pkg.resolve("model.onnx"), new byte[]{1, 2, 3});
        expectFailure(5, "package file model.onnx in", "inspect", pkg.toString());
        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, new byte[]{8, 1, 18, 3, 'x'});
        expectFailure(6, "is not a model ONNX Runtime can load", "inspect", corrupt.toString());
        expectFailure(6, "is not a model ONNX Runtime can load",
                "init", corrupt.toString(), "--name", "x", "--version", "1.0.0", "--out", dir.resolve("x").toString());
        assertFalse(Files.exists(dir.resolve("x")), "a failed init leaves no package behind");
        expectFailure(2, "--version \"1.0\" is not a semantic version",
                "init", TestModels.onnx("scale_bias.onnx").toString(), "--name", "x", "--version", "1.0", "--out",
                dir.resolve("y").toString());
    }

    @Test
    void inspectAndPublishRefuseAManifestThatDisagreesWithItsOnnxFile() throws Exception {
        Path pkg = initPackage("all_types.onnx");
        Path manifest = pkg.resolve("conduit.json");
        String original = Files.readString(manifest);
        String registry = dir.resolve("registry").toString();
        Files.writeString(manifest, original.replace("\"FP16\"", "\"FP32\""));
        String wrongType = "test-model@1.2.0: input \"f16\" is FP32 in conduit.json but FP16 in model.onnx";
        expectFailure(4, wrongType, "inspect", pkg.toString());
        expectFailure(4, wrongType, "models", "publish", pkg.toString(), "--registry", registry);
        assertFalse(Files.exists(Path.of(registry, "models", "test-model")), "nothing was published");

        Path fixed = initPackage("two_in_two_out.onnx");
        Path fixedManifest = fixed.resolve("conduit.json");
        JsonObject tree = JsonParser.parseString(Files.readString(fixedManifest)).getAsJsonObject();
        com.google.gson.JsonArray shape = tree.getAsJsonArray("outputs").get(1).getAsJsonObject().getAsJsonArray("shape");
        shape.set(1, new com.google.gson.JsonPrimitive(-1));
        Files.writeString(fixedManifest, tree.toString());
        String dynamicAxis = "output \"product\" axis 1 is dynamic (-1) in conduit.json but fixed at 3 in model.onnx";
        expectFailure(4, dynamicAxis, "inspect", fixed.toString());
        expectFailure(4, dynamicAxis, "models", "publish", fixed.toString(), "--registry", registry);

        Path unloadable = initPackage("scale_bias.onnx");
        Files.write(unloadable.resolve("model.onnx"), new byte[]{8, 1, 18, 3, 'x'});
        assertEquals(0, CliRunner.run("seal", unloadable.toString()).status());
        expectFailure(6, "is not a model ONNX Runtime can load", "models", "publish", unloadable.toString(),
                "--registry", registry);

        Files.writeString(manifest, original);
        CliRunner ok = CliRunner.run("inspect", pkg.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("manifest matches the ONNX file"), ok.out());
    }

    @Test
    void aStringModelIsPackagedAndRunFromNumpysUnicodeFilesAndImagesOfStringsAreRefused() throws Exception {
        Path pkg = initPackage("strings.onnx");
        String manifest = Files.readString(pkg.resolve("conduit.json"));
        assertTrue(manifest.contains("\"datatype\": \"BYTES\""), manifest);
        CliRunner inspect = CliRunner.run("inspect", pkg.toString());
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains("in   words BYTES[n]"), inspect.out());
        Path words = dir.resolve("words.npy");
        Npy.write(Tensor.ofStrings(new long[]{3}, "cat", "dog", "naïve"), words);
        CliRunner run = CliRunner.run("run", pkg.toString(), "--device", "cpu", "-i", words.toString(),
                "-o", "reversed=" + dir.resolve("reversed.npy"), "-o", "label=" + dir.resolve("label.npy"));
        assertEquals(0, run.status(), run.err());
        assertArrayEquals(new String[]{"naïve", "dog", "cat"}, Npy.read(dir.resolve("reversed.npy")).strings());
        assertEquals(2L, Npy.read(dir.resolve("label.npy")).longs().get(1));
        expectFailure(8, "reversed", "run", pkg.toString(), "--device", "cpu", "-i", words.toString(),
                "-o", "reversed=" + dir.resolve("reversed.png"));
        assertFalse(Files.exists(dir.resolve("reversed.png")));
        expectFailure(8, "object array", "run", pkg.toString(), "--device", "cpu", "-i",
                Path.of("../core/src/test/resources/npy/object.npy").toAbsolutePath().toString());
    }

    @Test
    void everyElementTypeIsPackagedAndRunAndModelsConduitCannotCarryAreRefusedByName() throws Exception {
        Path pkg = initPackage("wide_types.onnx");
        CliRunner inspect = CliRunner.run("inspect", pkg.toString());
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains("in   bf16 BF16[n_bf16]"), inspect.out());
        assertTrue(inspect.out().contains("out  u64_out UINT64[n_i16]"), inspect.out());
        Tensor f64 = Tensor.allocate(DataType.FP64, 1);
        f64.bytes().putDouble(0, 0.1);
        Tensor i16 = Tensor.allocate(DataType.INT16, 1);
        i16.bytes().putShort(0, (short) -1);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", pkg.toString(), "--device", "cpu"));
        for (Tensor t : new Tensor[]{f64, Tensor.allocate(DataType.INT8, 1), i16, Tensor.allocate(DataType.BF16, 1)}) {
            String name = t.type() == DataType.FP64 ? "f64" : t.type() == DataType.INT8 ? "i8"
                    : t.type() == DataType.INT16 ? "i16" : "bf16";
            Npy.write(t, dir.resolve(name + ".npy"));
            args.addAll(java.util.List.of("-i", name + "=" + dir.resolve(name + ".npy")));
        }
        args.addAll(java.util.List.of("-o", "u64_out=" + dir.resolve("u64.npy"), "-o", "f64_out=" + dir.resolve("f64_out.npy")));
        CliRunner run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        assertEquals(-1L, Npy.read(dir.resolve("u64.npy")).bytes().getLong(0), "2^64 - 1 as numpy's uint64");
        assertEquals(0.2, Npy.read(dir.resolve("f64_out.npy")).bytes().getDouble(0), "FP64 kept at full precision");

        Path none = initPackage("no_inputs.onnx");
        CliRunner constant = CliRunner.run("run", none.toString(), "-o", dir.resolve("table.npy").toString());
        assertEquals(0, constant.status(), constant.err());
        assertEquals(2f, Npy.read(dir.resolve("table.npy")).floats().get(1));
        expectFailure(2, "the model takes no inputs; drop --input", "run", none.toString(), "-i", dir.resolve("f64.npy").toString());

        for (String[] refused : new String[][]{{"sequence_output.onnx", "output \"parts\" is a sequence"},
                {"map_input.onnx", "input \"scores\" is a map"},
                {"uint16_input.onnx", "is UINT16, which ONNX Runtime's Java API cannot build"}}) {
            Path out = dir.resolve(refused[0] + "-pkg");
            expectFailure(22, refused[1], "init", TestModels.onnx(refused[0]).toString(), "--name", "x", "--version",
                    "1.0.0", "--out", out.toString());
            assertFalse(Files.exists(out), "nothing is written for " + refused[0]);
        }
    }

    @Test
    void demoDenoisesTheSamplePlateAndReportsPsnrRouteAndTime() {
        Path demo = Path.of("src/dist/demo/denoiser");
        Path out = dir.resolve("denoised.png");
        CliRunner r = CliRunner.run("demo", "--package", demo.resolve("package").toString(),
                "--input", demo.resolve("sample_noisy.png").toString(),
                "--reference", demo.resolve("sample_clean.png").toString(),
                "--output", out.toString(), "--device", "cpu", "--json");
        assertEquals(0, r.status(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        double before = json.get("psnrBeforeDb").getAsDouble();
        double after = json.get("psnrAfterDb").getAsDouble();
        assertTrue(before > 20 && before < 25, "the sample is the committed noisy plate: " + before);
        assertTrue(after > before + 10, "the trained model removes most of the noise: " + before + " -> " + after);
        assertEquals("demo-denoiser", json.get("model").getAsString());
        assertEquals("local-cpu", json.get("route").getAsString());
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void runsOnARemoteServiceAndDoctorReportsItsHealth() throws Exception {
        Path models = java.nio.file.Files.createDirectories(dir.resolve("models"));
        Path pkg = TestModels.packageOf("scale_bias.onnx", models);
        io.conduit.core.engine.local.LocalEngine engine = new io.conduit.core.engine.local.LocalEngine(
                io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                () -> io.conduit.core.engine.local.GpuStatus.none("no GPU in tests"));
        try (io.conduit.server.ConduitServer server = io.conduit.server.ConduitServer.start(
                io.conduit.server.ServerConfig.builder(models).port(0).build(), engine)) {
            String url = server.baseUri().toString();
            Path x = dir.resolve("x.npy");
            Npy.write(Tensor.ofFloats(new long[]{1, 2}, 1, 2), x);
            Path y = dir.resolve("y.npy");
            CliRunner run = CliRunner.run("run", pkg.toString(), "-i", x.toString(), "-o", y.toString(),
                    "--device", "remote", "--remote", url, "--json");
            assertEquals(0, run.status(), run.err());
            JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
            assertEquals("remote", json.get("route").getAsString());
            assertEquals(url, json.get("endpoint").getAsString());
            assertEquals(5f, Npy.read(y).floats().get(1));
            CliRunner doctor = CliRunner.run("doctor", "--remote", url, "--json");
            assertEquals(0, doctor.status(), doctor.err());
            JsonObject report = JsonParser.parseString(doctor.out()).getAsJsonObject();
            assertTrue(report.getAsJsonArray("remote").get(0).getAsJsonObject().get("ready").getAsBoolean());
            assertEquals("command line", report.getAsJsonObject("configuration").getAsJsonObject("remote.endpoints")
                    .get("source").getAsString());
        } finally {
            engine.close();
        }
        CliRunner down = CliRunner.run("doctor", "--remote", "http://127.0.0.1:1");
        assertEquals(14, down.status(), down.out());
        assertTrue(down.out().contains("Remote http://127.0.0.1:1: NOT READY"), down.out());
        expectFailure(3, "models folder " + dir.resolve("absent") + " does not exist",
                "serve", "--models", dir.resolve("absent").toString(), "--port", "0",
                "--feedback-db", "jdbc:h2:file:" + dir.resolve("feedback").toAbsolutePath());
        expectFailure(2, "--device remote needs a remote service", "run", pkg.toString(), "-i", "x=" + dir.resolve("x.npy"),
                "--device", "remote");
    }

    @Test
    void modelsGcRemovesOnlyAbandonedStagingFiles() throws Exception {
        Path tmp = java.nio.file.Files.createDirectories(dir.resolve("registry").resolve("tmp"));
        Path abandoned = java.nio.file.Files.writeString(tmp.resolve(".abc.blob"), "half a copy");
        java.nio.file.Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(io.conduit.core.registry.DirectoryRegistry.ABANDONED_AFTER).minusSeconds(60)));
        Path live = java.nio.file.Files.writeString(tmp.resolve(".def.blob"), "a copy in progress");
        CliRunner gc = CliRunner.run("models", "gc", "--registry", dir.resolve("registry").toString(), "--json");
        assertEquals(0, gc.status(), gc.err());
        assertEquals(1, JsonParser.parseString(gc.out()).getAsJsonObject().get("removed").getAsInt());
        assertFalse(java.nio.file.Files.exists(abandoned));
        assertTrue(java.nio.file.Files.exists(live), "a neighbour's copy in progress is not touched");
    }

    @Test
    void modelsArePublishedRolledOutAndResolvedThroughTheRegistry() throws Exception {
        String registry = dir.resolve("registry").toString();
        Path v1 = initPackage("scale_bias.onnx");
        CliRunner published = CliRunner.run("models", "publish", v1.toString(), "--registry", registry, "--json");
        assertEquals(0, published.status(), published.err());
        assertEquals("test-model@1.2.0", JsonParser.parseString(published.out()).getAsJsonObject().get("published").getAsString());
        expectFailure(21, "test-model@1.2.0 is already published", "models", "publish", v1.toString(), "--registry", registry);
        assertEquals(0, CliRunner.run("models", "alias", "test-model", "stable", "1.2.0", "--registry", registry).status());
        assertEquals(0, CliRunner.run("models", "rollout", "test-model", "stable", "--show", "ABC", "--registry", registry)
                .status());
        expectFailure(13, "test-model@9.9.9 is not published",
                "models", "rollout", "test-model", "9.9.9", "--dept", "fx", "--registry", registry);
        CliRunner resolved = CliRunner.run("models", "resolve", "test-model", "--show", "ABC", "--user", "ana",
                "--registry", registry, "--json");
        assertEquals(0, resolved.status(), resolved.err());
        JsonObject r = JsonParser.parseString(resolved.out()).getAsJsonObject();
        assertEquals("1.2.0", r.get("version").getAsString());
        assertEquals("rule show ABC -> stable", r.get("rule").getAsString());
        CliRunner list = CliRunner.run("models", "list", "--registry", registry, "--json");
        assertTrue(list.out().contains("\"stable\": \"1.2.0\""), list.out());
        CliRunner show = CliRunner.run("models", "show", "test-model@1.2.0", "--registry", registry);
        assertTrue(show.out().contains("\"name\": \"test-model\""), show.out());
        CliRunner rules = CliRunner.run("models", "rules", "test-model", "--registry", registry);
        assertEquals("show ABC -> stable\n", rules.out(), rules.err());
        CliRunner byAlias = CliRunner.run("models", "show", "test-model@stable", "--registry", registry);
        assertEquals(show.out(), byAlias.out(), "an alias names the same version as conduit run takes it");
        expectFailure(13, "test-model has no alias \"nightly\"", "models", "pull", "test-model@nightly", "--registry",
                registry);
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(new long[]{1, 1}, 4), x);
        String cache = dir.resolve("cache").toString();
        expectFailure(5, "is unsigned, and this workstation accepts only signed versions",
                "run", "test-model@stable", "-i", x.toString(), "--registry", registry, "--cache", cache);
        for (String reference : new String[]{"test-model", "test-model@stable", "test-model@1.2.0"}) {
            Path y = dir.resolve("y-" + reference.replace('@', '-') + ".npy");
            CliRunner viaRegistry = CliRunner.run("run", reference, "-i", x.toString(), "-o", y.toString(), "--registry",
                    registry, "--cache", cache, "--allow-unsigned");
            assertEquals(0, viaRegistry.status(), reference + ": " + viaRegistry.err());
            assertEquals(9f, Npy.read(y).floats().get(0));
        }
        Path moved = dir.resolve("registry-offline");
        java.nio.file.Files.move(Path.of(registry), moved); // the share is not mounted
        // Offline, the cached copy passes the same signature rule as a pull: unsigned only where that is allowed.
        expectFailure(5, "no longer passes this workstation's signature check, so it is not used offline",
                "run", "test-model", "-i", x.toString(), "--registry", registry, "--cache", cache);
        CliRunner offline = CliRunner.run("run", "test-model", "-i", x.toString(), "--registry", registry, "--cache", cache,
                "--allow-unsigned");
        assertEquals(0, offline.status(), offline.err());
        assertTrue(offline.err().contains("is unreachable; using the cached test-model@1.2.0"), offline.err());
        expectFailure(14, "aliases such as \"stable\" cannot be resolved without it",
                "run", "test-model@stable", "-i", x.toString(), "--registry", registry, "--cache", cache);
        java.nio.file.Files.move(moved, Path.of(registry));
        CliRunner lineage = CliRunner.run("models", "lineage", "test-model@1.2.0", "--registry", registry, "--dot");
        assertEquals(0, lineage.status(), lineage.err());
        assertTrue(lineage.out().startsWith("digraph lineage {"), lineage.out());
        expectFailure(13, "has no model \"nope\"; it has [test-model]", "models", "resolve", "nope", "--registry", registry);
    }

    @Test
    void anHttpRegistryPublishesResolvesAndRunsAndTheCacheServesWhenItIsDown() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, CliRunner.run("models", "keygen", "--out", keys.toString()).status());
        Path trust = java.nio.file.Files.createDirectories(dir.resolve("trust"));
        java.nio.file.Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        Path pkg = initPackage("scale_bias.onnx");
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(new long[]{1, 1}, 4), x);
        String cache = dir.resolve("cache").toString();
        io.conduit.core.engine.local.LocalEngine engine = new io.conduit.core.engine.local.LocalEngine(
                io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                () -> io.conduit.core.engine.local.GpuStatus.none("no GPU in tests"));
        String url;
        try (io.conduit.server.ConduitServer server = io.conduit.server.ConduitServer.start(
                io.conduit.server.ServerConfig.builder(dir.resolve("server-cache")).port(0).registry(
                        new io.conduit.core.registry.DirectoryRegistry(dir.resolve("registry")),
                        new io.conduit.core.registry.ModelCache(dir.resolve("server-cache"), Long.MAX_VALUE)).build(),
                engine)) {
            url = server.baseUri().toString();
            CliRunner publish = CliRunner.run("models", "publish", pkg.toString(), "--registry", url,
                    "--signing-key", keys.toString());
            assertEquals(0, publish.status(), publish.err());
            expectFailure(21, "test-model@1.2.0 is already published", "models", "publish", pkg.toString(),
                    "--registry", url);
            assertEquals(0, CliRunner.run("models", "alias", "test-model", "stable", "1.2.0", "--registry", url).status());
            assertEquals(0, CliRunner.run("models", "rollout", "test-model", "stable", "--show", "ABC", "--registry", url)
                    .status());
            CliRunner resolved = CliRunner.run("models", "resolve", "test-model", "--show", "ABC", "--registry", url,
                    "--json");
            assertEquals("rule show ABC -> stable", JsonParser.parseString(resolved.out()).getAsJsonObject()
                    .get("rule").getAsString(), resolved.err());
            CliRunner verify = CliRunner.run("models", "verify", "test-model@1.2.0", "--registry", url,
                    "--trust-store", trust.toString());
            assertTrue(verify.out().contains("signature verified; 1 file digest(s) verified"), verify.out() + verify.err());
            Path y = dir.resolve("y.npy");
            CliRunner run = CliRunner.run("run", "test-model@stable", "-i", x.toString(), "-o", y.toString(),
                    "--registry", url, "--cache", cache, "--trust-store", trust.toString());
            assertEquals(0, run.status(), run.err());
            assertEquals(9f, Npy.read(y).floats().get(0));
            assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("registry/models/test-model/versions/1.2.0.json")),
                    "the server stored the version in its registry folder");
        } finally {
            engine.close();
        }
        CliRunner offline = CliRunner.run("run", "test-model", "-i", x.toString(), "--registry", url, "--cache", cache,
                "--trust-store", trust.toString());
        assertEquals(0, offline.status(), offline.err());
        assertTrue(offline.err().contains("registry " + url + " is unreachable; using the cached test-model@1.2.0"),
                offline.err());
        expectFailure(14, "is unreachable: ", "models", "list", "--registry", url);
    }

    @Test
    void signedPublishingAndVerification() throws Exception {
        String registry = dir.resolve("signed-registry").toString();
        Path keys = dir.resolve("keys");
        assertEquals(0, CliRunner.run("models", "keygen", "--out", keys.toString()).status());
        Path trust = java.nio.file.Files.createDirectories(dir.resolve("trust"));
        java.nio.file.Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        Path pkg = initPackage("scale_bias.onnx");
        CliRunner publish = CliRunner.run("models", "publish", pkg.toString(), "--registry", registry,
                "--signing-key", keys.toString());
        assertEquals(0, publish.status(), publish.err());
        CliRunner verify = CliRunner.run("models", "verify", "test-model@1.2.0", "--registry", registry,
                "--trust-store", trust.toString());
        assertEquals(0, verify.status(), verify.err());
        assertTrue(verify.out().contains("signature verified; 1 file digest(s) verified"), verify.out());
        long scratchBefore = verifyScratchFolders();
        expectFailure(5, "which is not in the trust store", "models", "verify", "test-model@1.2.0", "--registry", registry,
                "--trust-store", java.nio.file.Files.createDirectories(dir.resolve("other-trust")).toString());
        assertEquals(scratchBefore, verifyScratchFolders(), "a refused verify leaves no temporary folder");
        expectFailure(2, "already holds a signing key", "models", "keygen", "--out", keys.toString());
    }

    @Test
    void goldenTestsGatePublishingAndCompareVersions() throws Exception {
        Path pkg = initPackage("scale_bias.onnx");
        Path testCase = java.nio.file.Files.createDirectories(pkg.resolve("tests/simple"));
        Npy.write(Tensor.ofFloats(new long[]{1, 2}, 1, 2), testCase.resolve("input.x.npy"));
        Npy.write(Tensor.ofFloats(new long[]{1, 2}, 3, 5), testCase.resolve("expected.y.npy"));
        expectFailure(5, "[tests/simple/expected.y.npy, tests/simple/input.x.npy], which its manifest does not list",
                "models", "test", pkg.toString());
        assertEquals(0, CliRunner.run("seal", pkg.toString()).status());
        CliRunner ok = CliRunner.run("models", "test", pkg.toString(), "--json");
        assertEquals(0, ok.status(), ok.err());
        JsonObject result = JsonParser.parseString(ok.out()).getAsJsonObject().getAsJsonArray("results").get(0)
                .getAsJsonObject();
        assertEquals("local-cpu", result.get("route").getAsString());
        assertEquals(0.0, result.get("maxAbsError").getAsDouble());
        CliRunner diff = CliRunner.run("models", "diff", pkg.toString(), pkg.toString(), "--json");
        assertEquals(0, diff.status(), diff.err());
        assertEquals(0.0, JsonParser.parseString(diff.out()).getAsJsonObject().getAsJsonArray("differences").get(0)
                .getAsJsonObject().get("maxAbsDifference").getAsDouble());

        Npy.write(Tensor.ofFloats(new long[]{1, 2}, 3, 6), testCase.resolve("expected.y.npy"));
        assertEquals(0, CliRunner.run("seal", pkg.toString()).status());
        CliRunner failing = CliRunner.run("models", "test", pkg.toString());
        assertEquals(10, failing.status(), failing.out());
        assertTrue(failing.out().startsWith("FAIL  local-cpu"), failing.out());
        String registry = dir.resolve("gated-registry").toString();
        expectFailure(4, "fails its golden tests, so it was not published: case simple output y is off by 1.0",
                "models", "publish", pkg.toString(), "--registry", registry);
        assertEquals(0, CliRunner.run("models", "list", "--registry", registry, "--json").out()
                .split("\"name\"").length - 1, "nothing was published");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[]{"demo", "run", "init", "inspect", "serve", "doctor", "models", "seal"}) {
            CliRunner r = CliRunner.run(command, "--help");
            assertEquals(0, r.status());
            assertTrue(r.out().startsWith("Usage: conduit " + command), r.out());
        }
        CliRunner missing = CliRunner.run("run");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("Missing required"), missing.err());
    }

    private static void expectFailure(int status, String message, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(status, r.status(), "exit status for " + String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(message), "stderr was: " + r.err());
        assertTrue(r.err().startsWith("error: [CDT-"), r.err());
    }

    private static long verifyScratchFolders() throws java.io.IOException {
        try (Stream<Path> temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return temps.filter(p -> p.getFileName().toString().startsWith("conduit-verify-")).count();
        }
    }
}
