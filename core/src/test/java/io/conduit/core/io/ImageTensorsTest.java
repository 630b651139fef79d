package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.FileFormatException;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTensorsTest {
    @TempDir
    Path dir;

    private static TensorSpec image(Layout layout, long[] shape, DataType type, double min, double max, String space) {
        return new TensorSpec("image", type, shape, layout, Role.IMAGE,
                Optional.of(new TensorSpec.ValueRange(min, max)), Optional.of(space));
    }

    private Path png(int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 40 << 16) | (y * 60 << 8) | 200);
            }
        }
        Path file = dir.resolve("in.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void readsNchwAndNhwcWithTheDeclaredRange() throws Exception {
        Path file = png(4, 3);
        Tensor nchw = ImageTensors.read(file, image(Layout.NCHW, new long[]{1, 3, -1, -1}, DataType.FP32, 0, 1, "sRGB"));
        assertArrayEquals(new long[]{1, 3, 3, 4}, nchw.shape());
        // pixel (x=2, y=1): R = 80, G = 60, B = 200
        assertEquals(80 / 255f, nchw.floats().get(0 * 12 + 1 * 4 + 2), 1e-6);
        assertEquals(60 / 255f, nchw.floats().get(1 * 12 + 1 * 4 + 2), 1e-6);
        Tensor nhwc = ImageTensors.read(file, image(Layout.NHWC, new long[]{1, -1, -1, 3}, DataType.FP32, -1, 1, "sRGB"));
        assertArrayEquals(new long[]{1, 3, 4, 3}, nhwc.shape());
        assertEquals(-1 + 2 * 200 / 255f, nhwc.floats().get((1 * 4 + 2) * 3 + 2), 1e-6);
    }

    @Test
    void roundTripsEveryLayoutAndType() throws Exception {
        Path file = png(5, 2);
        BufferedImage original = ImageIO.read(file.toFile());
        for (Layout layout : new Layout[]{Layout.NCHW, Layout.NHWC, Layout.CHW, Layout.HWC}) {
            for (DataType type : new DataType[]{DataType.FP32, DataType.FP16, DataType.UINT8}) {
                long[] shape = switch (layout) {
                    case NCHW -> new long[]{1, 3, -1, -1};
                    case NHWC -> new long[]{1, -1, -1, 3};
                    case CHW -> new long[]{3, -1, -1};
                    default -> new long[]{-1, -1, 3};
                };
                TensorSpec spec = image(layout, shape, type, 0, type == DataType.UINT8 ? 255 : 1, "linear");
                Path out = dir.resolve("out-" + layout + "-" + type + ".png");
                ImageTensors.write(ImageTensors.read(file, spec), spec, out);
                BufferedImage back = ImageIO.read(out.toFile());
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 5; x++) {
                        int a = original.getRGB(x, y), b = back.getRGB(x, y);
                        for (int shift = 0; shift < 24; shift += 8) {
                            int diff = Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
                            // UINT8 in linear light loses precision in the darks, FP16 at most one code value; FP32 is exact
                            assertTrue(diff <= (type == DataType.UINT8 ? 13 : type == DataType.FP16 ? 1 : 0), layout + " " + type + " diff " + diff);
                        }
                    }
                }
            }
        }
    }

    @Test
    void greyImagesKeepTheirCodeValues() throws Exception {
        BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        int[] codes = {0, 64, 128, 255};
        for (int x = 0; x < 4; x++) {
            grey.getRaster().setSample(x, 0, 0, codes[x]);
        }
        Path file = dir.resolve("grey.png");
        ImageIO.write(grey, "png", file.toFile());
        Tensor t = ImageTensors.read(file, image(Layout.NCHW, new long[]{1, 3, -1, -1}, DataType.FP32, 0, 255, "sRGB"));
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(codes[x], t.floats().get(c * 4 + x), 1e-4, "channel " + c + " pixel " + x);
            }
        }
    }

    @Test
    void writesAndReadsJpeg() throws Exception {
        TensorSpec spec = image(Layout.NCHW, new long[]{1, 3, -1, -1}, DataType.FP32, 0, 1, "sRGB");
        Tensor grey = Tensor.allocate(DataType.FP32, 1, 3, 8, 8);
        for (int i = 0; i < grey.elementCount(); i++) {
            grey.floats().put(i, 0.5f);
        }
        Path jpg = dir.resolve("grey.jpg");
        ImageTensors.write(grey, spec, jpg);
        Tensor back = ImageTensors.read(jpg, spec);
        assertArrayEquals(new long[]{1, 3, 8, 8}, back.shape());
        for (int i = 0; i < back.elementCount(); i++) {
            assertEquals(0.5f, back.floats().get(i), 2 / 255f, "a flat grey survives JPEG within two code values");
        }
    }

    @Test
    void refusesWhatAnImageCannotCarry() throws Exception {
        Path file = png(2, 2);
        TensorSpec points = new TensorSpec("P", DataType.FP32, new long[]{-1, 3}, Layout.POINTS, Role.POINTS,
                Optional.empty(), Optional.empty());
        assertTrue(assertThrows(FileFormatException.class, () -> ImageTensors.read(file, points)).getMessage()
                .contains("maps only to NCHW, NHWC, CHW or HWC"));
        TensorSpec aces = image(Layout.NCHW, new long[]{1, 3, -1, -1}, DataType.FP32, 0, 1, "ACEScg");
        assertTrue(assertThrows(FileFormatException.class, () -> ImageTensors.read(file, aces)).getMessage()
                .contains("expects colour space ACEScg"));
        TensorSpec batch = image(Layout.NCHW, new long[]{-1, 3, -1, -1}, DataType.FP32, 0, 1, "sRGB");
        Tensor two = Tensor.allocate(DataType.FP32, 2, 3, 2, 2);
        assertTrue(assertThrows(FileFormatException.class, () -> ImageTensors.write(two, batch, dir.resolve("x.png")))
                .getMessage().contains("only one NCHW image (batch 1)"));
    }
}
