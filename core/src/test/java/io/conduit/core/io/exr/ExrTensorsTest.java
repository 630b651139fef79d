package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conduit.core.FileFormatException;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXR images become FP32 [H, W, C] tensors with R, G, B, A first, then the rest by name, and back. */
class ExrTensorsTest {
    @Test
    void channelOrderIsColourFirstThenAlphabetical() {
        assertEquals(List.of("R", "G", "B", "A", "depth.Z", "id"),
                ExrTensors.tensorOrder(List.of("A", "B", "G", "R", "depth.Z", "id")));
        assertEquals(List.of("G", "A", "N.x", "Z"), ExrTensors.tensorOrder(List.of("Z", "N.x", "A", "G")));
        assertEquals(List.of("diffuse.B", "diffuse.R"), ExrTensors.tensorOrder(List.of("diffuse.R", "diffuse.B")));
    }

    @Test
    void toTensorInterleavesTheDataWindowInTensorOrder() {
        ExrImage image = ExrTestImages.source();
        Tensor tensor = ExrTensors.toTensor(image);
        assertEquals(DataType.FP32, tensor.type());
        assertArrayEquals(new long[] {23, 37, 6}, tensor.shape());
        FloatBuffer values = tensor.floats();
        List<String> order = ExrTensors.tensorOrder(image);
        int x = 5;
        int y = 7;
        int pixel = y * 37 + x;
        for (int c = 0; c < order.size(); c++) {
            assertEquals(image.floats(order.get(c))[pixel], values.get(pixel * 6 + c), order.get(c));
        }
    }

    @Test
    void fromTensorAndBackKeepsValuesNamesAndWindows() {
        ExrImage image = ExrTestImages.source();
        Tensor tensor = ExrTensors.toTensor(image);
        List<String> names = ExrTensors.tensorOrder(image);
        ExrImage back = ExrTensors.fromTensor(tensor, names, PixelType.FLOAT, image.dataWindow(), image.displayWindow());
        assertEquals(image.dataWindow(), back.dataWindow());
        assertEquals(image.displayWindow(), back.displayWindow());
        assertEquals(names, back.channelNames());
        for (String name : names) {
            assertArrayEquals(image.floats(name), back.floats(name), name);
        }
    }

    @Test
    void defaultNamesAndShapeChecks() {
        Tensor rgb = Tensor.ofFloats(new long[] {1, 2, 3}, 1, 2, 3, 4, 5, 6);
        ExrImage image = ExrTensors.fromTensor(rgb, ExrTensors.defaultNames(3), PixelType.HALF);
        assertEquals(List.of("R", "G", "B"), image.channelNames());
        assertEquals(ExrBox.ofSize(2, 1), image.dataWindow());
        assertArrayEquals(new float[] {3, 6}, image.floats("B"));
        assertThrows(FileFormatException.class, () -> ExrTensors.defaultNames(5));
        assertThrows(FileFormatException.class, () -> ExrTensors.fromTensor(rgb, List.of("R", "G"), PixelType.HALF));
        Tensor flat = Tensor.ofFloats(new long[] {6}, 1, 2, 3, 4, 5, 6);
        assertThrows(FileFormatException.class, () -> ExrTensors.fromTensor(flat, List.of("Y"), PixelType.FLOAT));
    }
}
