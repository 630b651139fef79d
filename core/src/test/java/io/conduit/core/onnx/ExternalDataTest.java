package io.conduit.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX external data: found in the model, packaged with its sha256, published, pulled and verified. */
class ExternalDataTest {
    @TempDir
    Path dir;

    @Test
    void findsTheFilesAModelKeepsItsTensorsIn() {
        assertEquals(Set.of("external_weights.bin"), ExternalData.locations(TestModels.onnx("external_weights.onnx")));
        assertEquals(Set.of(), ExternalData.locations(TestModels.onnx("scale_bias.onnx")));
        assertEquals(Set.of(), ExternalData.locations(TestModels.onnx("map_input.onnx")), "ai.onnx.ml attributes skipped");
    }

    @Test
    void aModelWhoseWeightsFileIsMissingSaysSo() throws Exception {
        Path alone = Files.copy(TestModels.onnx("external_weights.onnx"), dir.resolve("external_weights.onnx"));
        ConduitException e = assertThrows(ConduitException.class, () -> OnnxModels.readSignature(alone));
        assertEquals(ErrorCode.FILE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("keeps tensors in \"external_weights.bin\", which is not at "
                + dir.resolve("external_weights.bin")), e.getMessage());
    }

    @Test
    void thePackageCarriesTheWeightsVerifiedAndTheyTravelThroughTheRegistry() throws Exception {
        Path pkgDir = TestModels.packageOf("external_weights.onnx", dir.resolve("packages"));
        Path weights = pkgDir.resolve("external_weights.bin");
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[]{1, 4}, 1, 1, 1, 1));
        try (ModelPackage pkg = ModelPackage.open(pkgDir);
             LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("no GPU in tests"))) {
            assertEquals(Sha256.ofFile(weights), pkg.manifest().files().get("external_weights.bin"));
            assertEquals(4.5f, engine.run(pkg, in, DevicePreference.CPU).output("y").floats().get(3));

            DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
            registry.publish(pkg, "td");
            try (ModelPackage pulled = registry.pull("external-weights", SemVer.parse("1.0.0"), dir.resolve("cache"))) {
                assertArrayEquals(Files.readAllBytes(weights), Files.readAllBytes(pulled.root().resolve("external_weights.bin")));
                assertEquals(2.5f, engine.run(pulled, in, DevicePreference.CPU).output("y").floats().get(1));
            }
        }
        byte[] tampered = Files.readAllBytes(weights);
        tampered[0] ^= 1;
        Files.write(weights, tampered);
        IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.open(pkgDir));
        assertTrue(e.getMessage().contains("package file external_weights.bin in"), e.getMessage());
    }
}
