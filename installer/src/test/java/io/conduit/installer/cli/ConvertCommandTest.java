package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.io.Npy;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrTensors;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit convert between EXR (a file OpenEXR's own tools wrote), .npy and PNG. */
class ConvertCommandTest {
    private static final Path FIXTURE = Path.of("../core/src/test/resources/exr/scan_zip.exr");

    @TempDir
    Path dir;

    @Test
    void exrToNpyAndBackKeepsEveryChannelInOrder() {
        ExrImage source = ExrReader.read(FIXTURE);
        List<String> order = ExrTensors.tensorOrder(source);
        Path npy = dir.resolve("plate.npy");
        assertEquals(0, CliRunner.run("convert", FIXTURE.toString(), npy.toString()).status());
        Tensor hwc = Npy.read(npy);
        assertArrayEquals(new long[]{source.height(), source.width(), order.size()}, hwc.shape());
        assertEquals(source.floats(order.get(0))[5], hwc.floats().get(5 * order.size()), 0f);

        Path back = dir.resolve("back.exr");
        CliRunner run = CliRunner.run("convert", npy.toString(), back.toString(), "--channels", String.join(",", order));
        assertEquals(0, run.status(), run.err());
        ExrImage again = ExrReader.read(back);
        for (String name : order) {
            assertArrayEquals(source.floats(name), again.floats(name), 0f, name);
        }
    }

    @Test
    void channelsArePickedByNameAndPngGoesThroughLinearWhenAsked() {
        List<String> order = ExrTensors.tensorOrder(ExrReader.read(FIXTURE));
        String last = order.get(order.size() - 1);
        Path one = dir.resolve("one.npy");
        assertEquals(0, CliRunner.run("convert", FIXTURE.toString(), one.toString(), "--channels", last).status());
        assertEquals(1, Npy.read(one).shape()[2]);
        CliRunner missing = CliRunner.run("convert", FIXTURE.toString(), one.toString(), "--channels", "nope");
        assertEquals(8, missing.status());
        assertTrue(missing.err().contains("has no channel nope"), missing.err());

        Path png = dir.resolve("plate.png");
        assertEquals(0, CliRunner.run("convert", "../installer/src/dist/demo/denoiser/sample_clean.png", png.toString())
                .status());
        Path exr = dir.resolve("plate.exr");
        assertEquals(0, CliRunner.run("convert", png.toString(), exr.toString(), "--linear").status());
        ExrImage linear = ExrReader.read(exr);
        assertEquals(List.of("R", "G", "B"), ExrTensors.tensorOrder(linear));
        Path roundTrip = dir.resolve("again.png");
        assertEquals(0, CliRunner.run("convert", exr.toString(), roundTrip.toString(), "--linear").status());
        Tensor a = Npy.read(convert(png, "a.npy"));
        Tensor b = Npy.read(convert(roundTrip, "b.npy"));
        for (int i = 0; i < a.elementCount(); i++) {
            assertEquals(a.floats().get(i), b.floats().get(i), 1.01f / 255, "8-bit values survive sRGB -> linear -> sRGB");
        }
    }

    private Path convert(Path in, String name) {
        Path out = dir.resolve(name);
        assertEquals(0, CliRunner.run("convert", in.toString(), out.toString()).status());
        return out;
    }
}
