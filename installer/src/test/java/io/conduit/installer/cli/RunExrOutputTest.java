package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.io.exr.ExrBox;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit run writing EXR outputs: sample type, compression, channel names and colour, read back from the file. */
class RunExrOutputTest {
    private static final List<String> LAYERED = List.of("diffuse.B", "diffuse.G", "diffuse.R");
    private static final float[] LINEAR = {0.0f, 0.01f, 0.18f, 0.5f, 0.9f, 0.05f};

    @TempDir
    Path dir;

    /** A 3x2 plate whose channels are a render layer's, not plain R, G, B. */
    private Path layeredPlate() {
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(3, 2));
        for (int c = 0; c < 3; c++) {
            float[] plane = new float[6];
            for (int i = 0; i < 6; i++) {
                plane[i] = LINEAR[(i + c) % 6];
            }
            builder.channel(LAYERED.get(c), PixelType.FLOAT, plane);
        }
        Path file = dir.resolve("beauty.exr");
        ExrWriter.write(builder.build(), file, ExrCompression.NONE);
        return file;
    }

    private static double encode(double v) {
        return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    }

    private static double decode(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private Path run(Path plate, String... options) {
        String label = String.join("-", options).replace("--", "");
        Path pkg = TestModels.packageOf("invert_nchw.onnx", dir.resolve("pkg-" + label));
        Path out = dir.resolve("out-" + label + ".exr");
        List<String> args = new java.util.ArrayList<>(List.of("run", pkg.toString(), "-i", plate.toString(), "-o",
                out.toString(), "--device", "cpu"));
        args.addAll(List.of(options));
        CliRunner result = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, result.status(), result.err() + result.out());
        return out;
    }

    @Test
    void anOutputKeepsTheInputsChannelNamesAndIsHalfAndPizWhenAsked() throws Exception {
        Path out = run(layeredPlate(), "--exr-type", "half", "--exr-compression", "piz");
        ExrImage written = ExrReader.read(out);
        assertEquals(LAYERED, written.channelNames());
        for (String name : LAYERED) {
            assertEquals(PixelType.HALF, written.channel(name).type(), name);
        }
        assertEquals(ExrCompression.PIZ, ExrReader.compression(out));
        // The drafted manifest declares sRGB: the linear plate is encoded, inverted, and decoded back.
        float[] red = written.floats("diffuse.R");
        for (int i = 0; i < 6; i++) {
            double expected = decode(1 - encode(LINEAR[(i + 2) % 6]));
            assertEquals(expected, red[i], 2e-3 * Math.max(expected, 0.05), "pixel " + i);
        }
    }

    @Test
    void byDefaultAnFp32OutputIsFloatAndZip() throws Exception {
        Path out = run(layeredPlate());
        ExrImage written = ExrReader.read(out);
        assertEquals(PixelType.FLOAT, written.channel("diffuse.G").type());
        assertEquals(ExrCompression.ZIP, ExrReader.compression(out));
        assertEquals(ExrCompression.PIZ, ExrReader.compression(run(layeredPlate(), "--exr-type", "half")),
                "half defaults to PIZ (bench/run.sh exr)");
        assertEquals(ExrCompression.NONE, ExrReader.compression(run(layeredPlate(), "--exr-compression", "none")));
    }

    @Test
    void aHalfPlatesColourOutputIsHalfAndPizUnlessFloatIsAsked() throws Exception {
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(3, 2));
        for (String name : List.of("R", "G", "B")) {
            builder.channel(name, PixelType.HALF, LINEAR.clone());
        }
        Path plate = dir.resolve("filmed.exr");
        ExrWriter.write(builder.build(), plate, ExrCompression.ZIP);
        // The drafted manifest declares its output sRGB: colour, so it follows the HALF plate.
        Path out = run(plate);
        ExrImage written = ExrReader.read(out);
        assertEquals(PixelType.HALF, written.channel("R").type());
        assertEquals(ExrCompression.PIZ, ExrReader.compression(out));
        assertEquals(decode(1 - encode(LINEAR[2])), written.floats("R")[2], 2e-3);
        assertEquals(PixelType.FLOAT, ExrReader.read(run(plate, "--exr-type", "float")).channel("G").type());
    }

    @Test
    void aCompressionOtherThanZipPizOrNoneIsRefusedBeforeAnythingRuns() {
        Path pkg = TestModels.packageOf("invert_nchw.onnx", dir);
        Path out = dir.resolve("never.exr");
        CliRunner result = CliRunner.run("run", pkg.toString(), "-i", layeredPlate().toString(), "-o", out.toString(),
                "--exr-compression", "dwaa");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("EXR compression dwaa; expected zip, piz or none"), result.err());
        assertTrue(Files.notExists(out));
    }
}
