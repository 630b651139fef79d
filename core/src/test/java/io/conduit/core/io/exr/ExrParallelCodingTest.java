package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.FileFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chunks coded on several threads give exactly the file and the image one thread gives: the writer's
 * bytes do not depend on which chunk finished first, the reader fills every row, and a damaged file
 * names its first bad chunk in file order however the work was spread.
 */
class ExrParallelCodingTest {
    private static final int WIDTH = 301;
    private static final int HEIGHT = 203;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ExrCompression.class, names = {"NONE", "RLE", "ZIPS", "ZIP", "PIZ"})
    void parallelWritesAreByteIdenticalToSerialAndRoundTrip(ExrCompression compression) throws IOException {
        ExrImage image = plate();
        Path serial = dir.resolve("serial.exr");
        Path parallel = dir.resolve("parallel.exr");
        ExrWriter.write(image, serial, compression, 1);
        ExrWriter.write(image, parallel, compression, 4);
        assertArrayEquals(Files.readAllBytes(serial), Files.readAllBytes(parallel),
                compression + ": the file must not depend on the number of threads");
        ExrAssertions.assertSameImage(image, ExrReader.read(parallel, 4));
        ExrAssertions.assertSameImage(image, ExrReader.read(parallel, 1));
        ExrAssertions.assertSameImage(image, ExrReader.read(parallel, 3));
    }

    @Test
    void aDamagedFileNamesItsFirstBadChunkWhateverTheThreads() throws IOException {
        Path file = dir.resolve("plate.exr");
        ExrWriter.write(plate(), file, ExrCompression.ZIP, 1);
        byte[] bytes = Files.readAllBytes(file);
        long[] offsets = offsets(file, bytes, 13);
        // Chunk 9 is damaged too: with several threads it may well fail first, but chunk 2 comes first in the file.
        for (int chunk : new int[] {2, 9}) {
            int at = (int) offsets[chunk];
            Arrays.fill(bytes, at + 8, at + 8 + 40, (byte) 0x5a);
        }
        Files.write(file, bytes);
        String serial = assertThrows(FileFormatException.class, () -> ExrReader.read(file, 1)).getMessage();
        for (int threads : new int[] {2, 4, 8}) {
            assertEquals(serial, assertThrows(FileFormatException.class, () -> ExrReader.read(file, threads)).getMessage());
        }
        assertTrue(serial.contains("scanline chunk 2 (y = 42)") && serial.contains("does not decode as ZIP"), serial);
    }

    /** Three FLOAT channels with grain and one HALF, over a window whose height is not a multiple of any chunk. */
    private static ExrImage plate() {
        int n = WIDTH * HEIGHT;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        float[] a = new float[n];
        java.util.Random random = new java.util.Random(17);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int p = y * WIDTH + x;
                r[p] = x / (float) WIDTH * (1 + 0.04f * (float) random.nextGaussian());
                g[p] = y / (float) HEIGHT;
                b[p] = 0.25f + 0.01f * random.nextInt(4);
                a[p] = (x + y) % 7 == 0 ? 0f : 1f;
            }
        }
        ExrBox window = new ExrBox(-5, 10, WIDTH - 6, HEIGHT + 9);
        return ExrImage.builder(window).channel("R", PixelType.FLOAT, r).channel("G", PixelType.FLOAT, g)
                .channel("B", PixelType.FLOAT, b).channel("A", PixelType.HALF, a).build();
    }

    private static long[] offsets(Path file, byte[] bytes, int count) throws IOException {
        ExrHeader header;
        try (InputStream in = Files.newInputStream(file)) {
            header = HeaderReader.read(new HeaderInput(in, file, bytes.length));
        }
        assertEquals(count, ChunkLayout.of(header).count());
        ByteBuffer table = ByteBuffer.wrap(bytes, (int) header.tableStart(), 8 * count).order(ByteOrder.LITTLE_ENDIAN);
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = table.getLong();
        }
        return offsets;
    }
}
