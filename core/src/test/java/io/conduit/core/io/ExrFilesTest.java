package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.FileFormatException;
import io.conduit.core.io.exr.ExrBox;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXR plates to and from model tensors: colour encoding as the manifest declares it. */
class ExrFilesTest {
    /** Scene-linear values a plate holds: black, a shadow on the curve's straight part, mid grey, white, a highlight, a negative. */
    private static final float[] LINEAR = {0f, 0.002f, 0.18f, 1f, 4.5f, -0.01f};

    @TempDir
    Path dir;

    private static TensorSpec image(String colorSpace) {
        return image(colorSpace, 0, 1);
    }

    private static TensorSpec image(String colorSpace, double min, double max) {
        return new TensorSpec("image", DataType.FP32, new long[]{1, 1, -1, -1}, Layout.NCHW, Role.IMAGE,
                Optional.of(new TensorSpec.ValueRange(min, max)), Optional.ofNullable(colorSpace));
    }

    private Path plate() {
        Path file = dir.resolve("plate.exr");
        ExrWriter.write(ExrImage.builder(ExrBox.ofSize(LINEAR.length, 1)).channel("Y", PixelType.FLOAT, LINEAR.clone())
                .build(), file, ExrCompression.NONE);
        return file;
    }

    private static double srgbEncode(double v) {
        double a = Math.abs(v);
        return Math.copySign(a <= 0.0031308 ? 12.92 * a : 1.055 * Math.pow(a, 1 / 2.4) - 0.055, v);
    }

    @Test
    void anSrgbModelGetsTheLinearPlateThroughTheSrgbCurve() {
        Tensor tensor = ExrFiles.read(plate(), image("sRGB"));
        for (int i = 0; i < LINEAR.length; i++) {
            assertEquals(srgbEncode(LINEAR[i]), tensor.floats().get(i), 1e-6, "value " + LINEAR[i]);
        }
        assertEquals(0.4614, tensor.floats().get(2), 1e-4, "mid grey encodes to about 0.46");
    }

    @Test
    void linearAndRawModelsAndUndeclaredOnesGetThePlateAsItIs() {
        for (String space : new String[]{"linear", "raw", null}) {
            Tensor tensor = ExrFiles.read(plate(), image(space));
            for (int i = 0; i < LINEAR.length; i++) {
                assertEquals(LINEAR[i], tensor.floats().get(i), 0f, space + " value " + i);
            }
        }
    }

    @Test
    void anSrgbModelsOutputIsWrittenBackAsLinear() {
        Tensor encoded = ExrFiles.read(plate(), image("sRGB"));
        Path out = dir.resolve("out.exr");
        ExrFiles.write(encoded, image("sRGB"), out);
        ExrImage back = ExrReader.read(out);
        float[] written = back.floats(back.channelNames().get(0));
        for (int i = 0; i < LINEAR.length; i++) {
            assertEquals(LINEAR[i], written[i], 1e-5 * Math.max(1, Math.abs(LINEAR[i])), "value " + i);
        }
    }

    @Test
    void aColourSpaceConduitCannotConvertToIsRefusedByName() {
        FileFormatException e = assertThrows(FileFormatException.class, () -> ExrFiles.read(plate(), image("ACEScg")));
        assertTrue(e.getMessage().contains("ACEScg") && e.getMessage().contains("sRGB, linear, raw"), e.getMessage());
    }

    @Test
    void aValueRangeMapsThePlateAsItMapsAPngsNormalizedValues() {
        for (String space : new String[]{"linear", "sRGB"}) {
            Tensor tensor = ExrFiles.read(plate(), image(space, -1, 1));
            for (int i = 0; i < LINEAR.length; i++) {
                double unit = space.equals("sRGB") ? srgbEncode(LINEAR[i]) : LINEAR[i];
                assertEquals(-1 + 2 * unit, tensor.floats().get(i), 1e-6, space + " value " + LINEAR[i]);
            }
        }
        // Black and white land where a PNG's code values 0 and 255 land for the same manifest entry.
        Tensor exr = ExrFiles.read(plate(), image("linear", 0, 255));
        assertEquals(0f, exr.floats().get(0), 0f);
        assertEquals(255f, exr.floats().get(3), 1e-4f);
        assertEquals(4.5f * 255f, exr.floats().get(4), 1e-3f, "highlights are not clamped");
    }

    @Test
    void anOutputInARangeIsWrittenBackToTheLinearPlate() {
        for (String space : new String[]{"linear", "sRGB"}) {
            TensorSpec spec = image(space, -1, 1);
            Path out = dir.resolve(space + ".exr");
            ExrFiles.write(ExrFiles.read(plate(), spec), spec, out);
            ExrImage back = ExrReader.read(out);
            float[] written = back.floats(back.channelNames().get(0));
            for (int i = 0; i < LINEAR.length; i++) {
                assertEquals(LINEAR[i], written[i], 1e-5 * Math.max(1, Math.abs(LINEAR[i])), space + " value " + i);
            }
        }
    }
}
