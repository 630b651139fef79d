package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.FileFormatException;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample type an image output is written as: a colour output follows its HALF or FLOAT source plate, data
 * keeps the tensor's type, and a value HALF cannot hold is refused before anything is written.
 */
class ExrOutputTypeTest {
    private static final List<String> RGB = List.of("R", "G", "B");
    /** The settings {@code withChannelsOf} makes for a HALF RGB plate when the command line names no type. */
    private static final ExrOutput AFTER_HALF_PLATE =
            new ExrOutput(Optional.empty(), Optional.empty(), RGB, Optional.of(PixelType.HALF));

    @TempDir
    Path dir;

    private static TensorSpec output(String colorSpace) {
        return new TensorSpec("out", DataType.FP32, new long[]{1, 3, -1, -1}, Layout.NCHW, Role.IMAGE,
                Optional.empty(), Optional.ofNullable(colorSpace));
    }

    /** A 1x3x2x2 FP32 tensor holding {@code values} in channel R, pixel (0, 0) onward; the rest 0.5. */
    private static Tensor rgb(float... values) {
        Tensor tensor = Tensor.allocate(DataType.FP32, new long[]{1, 3, 2, 2});
        for (int i = 0; i < 12; i++) {
            tensor.floats().put(i, i < values.length ? values[i] : 0.5f);
        }
        return tensor;
    }

    private Path write(Tensor tensor, TensorSpec spec, ExrOutput settings) {
        Path file = dir.resolve(spec.colorSpace().orElse("undeclared") + "-" + settings.describe().replace(' ', '_') + ".exr");
        ExrFiles.write(tensor, spec, file, settings);
        return file;
    }

    @Test
    void aColourOutputOfAHalfPlateIsWrittenHalfAndPiz() {
        for (String space : new String[]{"linear", "sRGB"}) {
            Path file = write(rgb(0.25f, 1.5f), output(space), AFTER_HALF_PLATE);
            ExrImage written = ExrReader.read(file);
            assertEquals(PixelType.HALF, written.channel("G").type(), space);
            assertEquals(RGB, written.channelNames().stream().sorted((a, b) -> RGB.indexOf(a) - RGB.indexOf(b)).toList());
            if (space.equals("linear")) {
                assertEquals(0.25f, written.floats("R")[0], 0f, "a value HALF holds exactly comes back exactly");
            }
        }
    }

    @Test
    void dataOutputsAndOutputsWithOtherChannelCountsKeepTheTensorsType() {
        for (String space : new String[]{"raw", null}) {
            Path file = write(rgb(1234.567f), output(space), AFTER_HALF_PLATE);
            ExrImage written = ExrReader.read(file);
            assertEquals(PixelType.FLOAT, written.channel("R").type(), "colour space " + space);
            assertEquals(1234.567f, written.floats("R")[0], 0f, "data is never narrowed unasked");
        }
        // A four-channel plate's type does not carry over to a three-channel output.
        ExrOutput rgba = new ExrOutput(Optional.empty(), Optional.empty(), List.of("R", "G", "B", "A"),
                Optional.of(PixelType.HALF));
        assertEquals(PixelType.FLOAT, ExrReader.read(write(rgb(), output("linear"), rgba)).channel("B").type());
        // A FLOAT plate keeps colour FLOAT, and the command line's type wins over the plate's.
        ExrOutput floatPlate = new ExrOutput(Optional.empty(), Optional.empty(), RGB, Optional.of(PixelType.FLOAT));
        assertEquals(PixelType.FLOAT, ExrReader.read(write(rgb(), output("sRGB"), floatPlate)).channel("R").type());
        ExrOutput asked = new ExrOutput(Optional.of(PixelType.FLOAT), Optional.empty(), RGB, Optional.of(PixelType.HALF));
        assertEquals(PixelType.FLOAT, ExrReader.read(write(rgb(), output("linear"), asked)).channel("R").type());
    }

    @Test
    void aValueBeyondHalfsRangeIsRefusedWhenHalfWasAskedForAndWrittenFloatWhenItWasThePlates() throws Exception {
        // Pixel (1, 1) of channel G: index 4 + 3.
        Tensor tensor = rgb(0f, 1f, 2f, 3f, 0f, 0f, 0f, 70000f);
        ExrOutput askedHalf = new ExrOutput(Optional.of(PixelType.HALF), Optional.of(ExrCompression.ZIP), List.of());
        Path refused = dir.resolve("never.exr");
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> ExrFiles.write(tensor, output("linear"), refused, askedHalf));
        assertTrue(e.getMessage().contains("70000.0") && e.getMessage().contains("channel G")
                && e.getMessage().contains("pixel (1, 1)") && e.getMessage().contains("--exr-type float"), e.getMessage());
        assertTrue(Files.notExists(refused), "nothing was written");
        // Only the plate said HALF: FLOAT holds the value, so the output is written FLOAT, every value exact.
        Path widened = dir.resolve("widened.exr");
        ExrFiles.write(tensor, output("linear"), widened, AFTER_HALF_PLATE);
        ExrImage written = ExrReader.read(widened);
        assertEquals(PixelType.FLOAT, written.channel("G").type());
        assertEquals(70000f, written.floats("G")[3], 0f);
        assertEquals(ExrCompression.ZIP, ExrReader.compression(widened), "FLOAT's default");
        // HALF's largest finite value, and what rounds to it, are written; infinity the model made stays infinity.
        Path edge = write(rgb(65504f, -65519f, Float.POSITIVE_INFINITY), output("linear"), askedHalf);
        float[] red = ExrReader.read(edge).floats("R");
        assertEquals(65504f, red[0], 0f);
        assertEquals(-65504f, red[1], 0f);
        assertEquals(Float.POSITIVE_INFINITY, red[2], 0f);
    }
}
