package io.conduit.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.manifest.Requirements;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic axes do not mean unlimited: each input's element count is bounded before anything runs. */
class InputLimitTest {
    @TempDir
    Path dir;

    private Manifest withLimit(Long max) throws Exception {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir.resolve(String.valueOf(max)));
        JsonObject json = JsonParser.parseString(Files.readString(pkg.resolve(ModelPackage.MANIFEST))).getAsJsonObject();
        if (max != null) {
            json.getAsJsonObject("requirements").addProperty("maxInputElements", max);
        }
        return ManifestReader.parse(json.toString());
    }

    @Test
    void anInputOverTheManifestsBoundIsRefusedBeforeInference() throws Exception {
        Manifest bounded = withLimit(4L);
        assertEquals(4L, ManifestReader.parse(ManifestWriter.toJson(bounded)).requirements().inputElementLimit(),
                "read and written back");
        String input = bounded.inputs().get(0).name();
        InputValidator.validate(bounded, Map.of(input, Tensor.ofFloats(new long[]{2, 2}, 1, 2, 3, 4)));
        ConduitException e = assertThrows(ConduitException.class, () -> InputValidator.validate(bounded,
                Map.of(input, Tensor.ofFloats(new long[]{5, 1}, 1, 2, 3, 4, 5))));
        assertEquals(ErrorCode.INPUT_INVALID, e.code());
        assertTrue(e.getMessage().contains("has 5 elements (shape [5, 1])") && e.getMessage().contains("at most 4"),
                e.getMessage());
    }

    @Test
    void withoutADeclaredBoundTheDefaultHolds() throws Exception {
        Manifest open = withLimit(null);
        assertEquals(Requirements.DEFAULT_MAX_INPUT_ELEMENTS, open.requirements().inputElementLimit());
        ConduitException bad = assertThrows(ConduitException.class, () -> withLimit(0L));
        assertTrue(bad.getMessage().contains("requirements.maxInputElements is 0; expected 1 or more"), bad.getMessage());
    }
}
