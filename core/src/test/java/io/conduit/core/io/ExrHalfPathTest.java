package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HALF plates kept as their 16 bits: read through a table of every bit pattern's model value, written from
 * 16-bit planes rounded in the colour pass. Both must give exactly what the float path gives.
 */
class ExrHalfPathTest {
    private static final int WIDTH = 256;
    private static final int HEIGHT = 130; // three bands of rows and a short one

    @TempDir
    Path dir;

    /** Every HALF bit pattern there is (NaN and infinities too), wrapped over a 256x130 RGB plate. */
    private static float[] everyHalf(int channel) {
        float[] values = new float[WIDTH * HEIGHT];
        for (int i = 0; i < values.length; i++) {
            values[i] = Half.toFloat((short) (i * 3 + channel));
        }
        return values;
    }

    private Path plate(PixelType type) {
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(WIDTH, HEIGHT));
        String[] names = {"R", "G", "B"};
        for (int c = 0; c < 3; c++) {
            builder.channel(names[c], type, everyHalf(c));
        }
        Path file = dir.resolve(type + ".exr");
        ExrWriter.write(builder.build(), file, ExrCompression.ZIP);
        return file;
    }

    private static TensorSpec image(String colorSpace, double min, double max, Layout layout) {
        long[] shape = layout == Layout.NCHW ? new long[]{1, 3, -1, -1} : new long[]{-1, -1, 3};
        return new TensorSpec("image", DataType.FP32, shape, layout, Role.IMAGE,
                Optional.of(new TensorSpec.ValueRange(min, max)), Optional.of(colorSpace));
    }

    @Test
    void aHalfPlateIsReadAsItsBitsAndGivesTheSameTensorAsTheSameValuesStoredAsFloat() {
        Path half = plate(PixelType.HALF);
        ExrImage image = ExrReader.read(half);
        assertTrue(image.holdsHalfBits("G"));
        assertFalse(ExrReader.read(plate(PixelType.FLOAT)).holdsHalfBits("G"));
        assertArrayEquals(everyHalf(1), image.floats("G"), "floats() converts the bits, NaN payloads aside");
        short[] band = new short[WIDTH];
        image.copyHalfBits("B", WIDTH * 7, band, 0, WIDTH);
        assertEquals((short) (WIDTH * 7 * 3 + 2), band[0]);
        for (TensorSpec spec : List.of(image("sRGB", 0, 1, Layout.NCHW), image("linear", -1, 1, Layout.HWC),
                image("raw", 0, 255, Layout.NCHW))) {
            Tensor fromBits = ExrFiles.read(half, spec);
            Tensor fromFloats = ExrFiles.read(plate(PixelType.FLOAT), spec);
            for (int i = 0; i < 3 * WIDTH * HEIGHT; i++) {
                assertEquals(Float.floatToIntBits(fromFloats.floats().get(i)), Float.floatToIntBits(fromBits.floats().get(i)),
                        spec.colorSpace() + " element " + i);
            }
        }
    }

    @Test
    void aHalfOutputWrittenFromBitsIsTheFileTheFloatPlanesMade() throws Exception {
        TensorSpec spec = image("sRGB", 0, 1, Layout.NCHW);
        Tensor tensor = Tensor.allocate(DataType.FP32, new long[]{1, 3, HEIGHT, WIDTH});
        for (int i = 0; i < 3 * WIDTH * HEIGHT; i++) {
            tensor.floats().put(i, (float) ((i * 0.6180339887) % 1.3 - 0.1)); // values that need rounding
        }
        Path viaBits = dir.resolve("bits.exr");
        ExrFiles.write(tensor, spec, viaBits, new ExrOutput(Optional.of(PixelType.HALF), Optional.of(ExrCompression.PIZ),
                List.of()));
        // The same conversion by hand (the curve as HALF outputs take it), given to the writer as floats it rounds.
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(WIDTH, HEIGHT));
        String[] names = {"R", "G", "B"};
        for (int c = 0; c < 3; c++) {
            float[] plane = new float[WIDTH * HEIGHT];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = SrgbCurve.decodeForHalf(tensor.floats().get(c * plane.length + i));
            }
            builder.channel(names[c], PixelType.HALF, plane);
        }
        Path viaFloats = dir.resolve("floats.exr");
        ExrWriter.write(builder.build(), viaFloats, ExrCompression.PIZ);
        assertArrayEquals(Files.readAllBytes(viaFloats), Files.readAllBytes(viaBits));
    }
}
