package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonExportTest {
    @TempDir
    Path dir;

    @Test
    void writesARepositoryTritonReads() throws Exception {
        try (ModelPackage batchable = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir));
             ModelPackage fixed = ModelPackage.open(TestModels.packageOf("flatten.onnx", dir))) {
            Path repo = dir.resolve("triton");
            Path model = TritonExport.export(batchable, repo, 16);
            assertEquals(Files.size(batchable.modelFile()), Files.size(model.resolve("1/model.onnx")));
            String config = Files.readString(model.resolve("config.pbtxt"));
            assertTrue(config.contains("platform: \"onnxruntime_onnx\"\nmax_batch_size: 16\n"), config);
            assertTrue(config.contains("{ name: \"x\" data_type: TYPE_FP32 dims: [ -1 ] }"), "batch axis dropped: " + config);
            assertTrue(config.contains("dynamic_batching"), config);
            assertTrue(config.contains("string_value: \"1.0.0\""), config);
            String flat = Files.readString(TritonExport.export(fixed, repo, 16).resolve("config.pbtxt"));
            assertTrue(flat.contains("max_batch_size: 0\n"), "no batch axis on the output: " + flat);
            assertTrue(!flat.contains("dynamic_batching"), flat);
        }
    }
}
