package io.conduit.core.engine.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tiled runs against whole-image runs of the same real models on ONNX Runtime. */
class TiledInferenceTest {
    @TempDir
    Path dir;

    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("tests"));

    @AfterEach
    void close() {
        engine.close();
    }

    /** A copy of {@code pkg} whose manifest asks for tiles of {@code tile} pixels sharing {@code overlap}. */
    private Path withTiling(Path pkg, int tile, int overlap) throws Exception {
        Path copy = dir.resolve(pkg.getFileName() + "-tiled-" + tile);
        Files.createDirectories(copy);
        try (var files = Files.list(pkg)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path manifest = copy.resolve(ModelPackage.MANIFEST);
        JsonObject json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        JsonObject tiling = new JsonObject();
        tiling.addProperty("tileSize", tile);
        tiling.addProperty("overlap", overlap);
        json.getAsJsonObject("requirements").add("tiling", tiling);
        json.getAsJsonArray("inputs").get(0).getAsJsonObject().addProperty("layout", "NCHW");
        json.getAsJsonArray("outputs").get(0).getAsJsonObject().addProperty("layout", "NCHW");
        Files.writeString(manifest, json.toString());
        return copy;
    }

    private static Tensor gradient(int height, int width) {
        Tensor image = Tensor.allocate(DataType.FP32, 1, 3, height, width);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    image.floats().put((c * height + y) * width + x, 0.1f + 0.8f * (x + 0.5f * y + 7 * c) / (width + height));
                }
            }
        }
        return image;
    }

    private static float maxDifference(Tensor a, Tensor b) {
        float worst = 0;
        for (int i = 0; i < a.elementCount(); i++) {
            worst = Math.max(worst, Math.abs(a.floats().get(i) - b.floats().get(i)));
        }
        return worst;
    }

    @Test
    void aPointwiseModelGivesTheWholeImagesResultTiledAndInPlace() throws Exception {
        Path pkgDir = withTiling(TestModels.packageOf("invert_nchw.onnx", dir), 64, 8);
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Tensor plate = gradient(150, 221);
            Tensor whole = engine.run(pkg, Map.of("image", plate), DevicePreference.CPU).output("inverted");
            InferenceResult tiled = TiledInference.run(engine, pkg, Map.of("image", plate), DevicePreference.CPU, false);
            assertEquals(0f, maxDifference(whole, tiled.output("inverted")), 1e-6f);
            Tensor own = gradient(150, 221);
            InferenceResult inPlace = TiledInference.run(engine, pkg, Map.of("image", own), DevicePreference.CPU, true);
            assertSame(own, inPlace.output("inverted"), "the output went back into the input's buffer");
            assertEquals(0f, maxDifference(whole, own), 1e-6f);
            assertEquals("local-cpu", tiled.route().route().label());
        }
    }

    @Test
    void aConvolutionalModelShowsNoSeamOnASmoothGradient() throws Exception {
        Path demo = Path.of("../installer/src/dist/demo/denoiser/package");
        Path pkgDir = withTiling(demo, 96, 32);
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Tensor plate = gradient(160, 224);
            Tensor whole = engine.run(pkg, Map.of(pkg.manifest().inputs().get(0).name(), plate), DevicePreference.CPU)
                    .outputs().values().iterator().next();
            Tensor tiled = TiledInference.run(engine, pkg, Map.of(pkg.manifest().inputs().get(0).name(), plate),
                    DevicePreference.CPU, false).outputs().values().iterator().next();
            float difference = maxDifference(whole, tiled);
            assertTrue(difference < 1f / 255, "tiled and whole differ by at most " + difference);
            // No seam: the tiled result's steps between neighbouring columns are as smooth as the whole image's.
            float wholeStep = maxStep(whole, 160, 224);
            float tiledStep = maxStep(tiled, 160, 224);
            assertTrue(tiledStep <= wholeStep + 0.5f / 255, "largest column step " + tiledStep + " vs " + wholeStep);
        }
    }

    /** A plate with detail at every scale, so a tile that sees padding the plate has not shows it. */
    private static Tensor texture(int height, int width) {
        Tensor image = Tensor.allocate(DataType.FP32, 1, 3, height, width);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = 0.5 + 0.3 * Math.sin(0.37 * x + 0.21 * y + c) + 0.15 * Math.cos(0.05 * x * y / 7.0 + 2 * c);
                    image.floats().put((c * height + y) * width + x, (float) v);
                }
            }
        }
        return image;
    }

    /**
     * Zero-padded convolution stacks whose receptive radius (one pixel per 3x3 layer) fits in the overlap give
     * the whole plate's result to float rounding, on plates that are no multiple of the tile, borders included.
     */
    @ParameterizedTest
    @CsvSource({"conv_stack3.onnx, 150, 221", "conv_stack3.onnx, 65, 300", "conv_stack3.onnx, 40, 130",
            "conv_stack3.onnx, 129, 129", "conv_stack1.onnx, 150, 221", "conv_stack1.onnx, 97, 64"})
    void aModelWhoseReceptiveFieldFitsInTheOverlapGivesTheWholePlatesResult(String model, int height, int width)
            throws Exception {
        Path pkgDir = withTiling(TestModels.packageOf(model, dir), 64, 16);
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            Tensor plate = texture(height, width);
            Tensor whole = engine.run(pkg, Map.of("image", plate), DevicePreference.CPU).output("filtered");
            Tensor tiled = TiledInference.run(engine, pkg, Map.of("image", plate), DevicePreference.CPU, false)
                    .output("filtered");
            float difference = maxDifference(whole, tiled);
            assertTrue(difference <= 1e-5f, model + " on " + height + "x" + width + ": tiled and whole differ by "
                    + difference);
            Tensor own = texture(height, width);
            TiledInference.run(engine, pkg, Map.of("image", own), DevicePreference.CPU, true);
            assertTrue(maxDifference(whole, own) <= 1e-5f, "written back into the input plate, too");
        }
    }

    private static float maxStep(Tensor image, int height, int width) {
        float worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 1; x < width; x++) {
                    int i = (c * height + y) * width + x;
                    worst = Math.max(worst, Math.abs(image.floats().get(i) - image.floats().get(i - 1)));
                }
            }
        }
        return worst;
    }
}
