package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged and hostile files fail fast with a FILE_FORMAT error that says what was wrong and where,
 * and never with an OutOfMemoryError or an unchecked exception from deep inside a decoder.
 */
class ExrMalformedFilesTest {
    @TempDir
    Path dir;

    @Test
    void wrongMagicNumber() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        file[0] = 'P';
        assertRefused(file, "not an OpenEXR file");
    }

    @Test
    void wrongVersion() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        file[4] = 1;
        assertRefused(file, "version 1; expected version 2");
    }

    @Test
    void multiPartFlagIsRefusedByName() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        file[5] |= 0x10;
        assertRefused(file, "multi-part");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 7, 30, 200})
    void truncatedInHeader(int length) throws IOException {
        assertRefused(java.util.Arrays.copyOf(fixture("scan_zip.exr"), length), "truncated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan_none.exr", "scan_zip.exr", "scan_piz.exr", "tiled_rle.exr"})
    void truncatedInTableOrChunks(String name) throws IOException {
        byte[] whole = fixture(name);
        int tableStart = tableStart(whole);
        for (int length : new int[] {tableStart + 1, tableStart + 12, whole.length / 2, whole.length - 1}) {
            assertRefused(java.util.Arrays.copyOf(whole, length), "truncated");
        }
    }

    @Test
    void offsetTableEntryPointingOutsideTheFile() throws IOException {
        byte[] file = fixture("scan_rle.exr");
        putLong(file, tableStart(file) + 8 * 3, Long.MAX_VALUE);
        assertRefused(file, "offset table entry 3 (scanline chunk 3 (y = 1)) points to byte " + Long.MAX_VALUE);
        putLong(file, tableStart(file) + 8 * 3, 0);
        assertRefused(file, "offset table entry 3");
    }

    @Test
    void offsetTableEntryPointingAtTheWrongChunk() throws IOException {
        byte[] file = fixture("tiled_zip.exr");
        int table = tableStart(file);
        putLong(file, table, getLong(file, table + 8));
        assertRefused(file, "tile (0, 0) at byte");
    }

    @Test
    void absurdDataWindowIsRefusedBeforeAllocating() throws IOException {
        byte[] scan = fixture("scan_zip.exr");
        int at = attributeValue(scan, "dataWindow", "box2i");
        putBox(scan, at, 0, 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 1); // 2^31-1 squared
        assertRefused(scan, "offset table alone would need");

        putBox(scan, at, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE); // 2^32 squared
        assertRefused(scan, "at most 2^31-1 each way");

        putBox(scan, at, 0, 0, 1 << 30, 0); // one chunk, 16 GiB of pixels in a 4 KiB file
        assertRefused(scan, "bytes of pixels), more than");

        putBox(scan, at, 0, 0, Integer.MAX_VALUE - 1, 0); // one chunk, but 2^31 pixels per channel
        assertRefused(scan, "larger than this reader supports");

        byte[] tiled = fixture("tiled_piz.exr");
        putBox(tiled, attributeValue(tiled, "dataWindow", "box2i"), 0, 0, 1 << 30, 1 << 30);
        assertRefused(tiled, "offset table alone would need");

        putBox(scan, at, 5, 5, 4, 9); // max below min
        assertRefused(scan, "is empty");
    }

    @Test
    void requiredAttributeWithAnUnknownType() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int at = indexOf(file, "dataWindow\0box2i\0");
        file[at + "dataWindow\0box".length() + 1] = 'f';
        assertRefused(file, "attribute 'dataWindow' at byte " + at + " has type 'box2f'; expected 'box2i'");
    }

    @Test
    void customAttributeOfAnUnknownTypeIsSkipped() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int at = indexOf(file, "capDate\0string\0");
        System.arraycopy("capDate\0zzzzzz\0".getBytes(StandardCharsets.US_ASCII), 0, file, at, 15);
        Path path = write(file);
        ExrAssertions.assertSameImage(ExrTestImages.source(), ExrReader.read(path));
    }

    @Test
    void attributeSizeBeyondTheFile() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int value = attributeValue(file, "capDate", "string");
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(value - 4, Integer.MAX_VALUE);
        assertRefused(file, "declares 2147483647 bytes but only");
    }

    @Test
    void missingRequiredAttribute() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int at = indexOf(file, "lineOrder\0lineOrder\0");
        file[at] = 'x'; // now an unknown attribute, skipped, so lineOrder is missing
        assertRefused(file, "no 'lineOrder' attribute");
    }

    @Test
    void unsupportedAndUnknownCompressionIds() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int at = attributeValue(file, "compression", "compression");
        file[at] = 6;
        assertRefused(file, "B44 compression is not supported");
        file[at] = 5;
        assertRefused(file, "PXR24 compression is not supported");
        file[at] = 42;
        assertRefused(file, "unknown compression id 42");
    }

    @Test
    void ripmapAndUnknownLevelModesAreRefusedByName() throws IOException {
        byte[] file = fixture("tiled_zip.exr");
        int at = attributeValue(file, "tiles", "tiledesc");
        file[at + 8] = 2;
        assertRefused(file, "RIPMAP_LEVELS is not supported");
        file[at + 8] = 3;
        assertRefused(file, "level mode 3 is not supported");
    }

    @Test
    void unknownPixelTypeAndSubsampling() throws IOException {
        byte[] file = fixture("scan_zip.exr");
        int channels = attributeValue(file, "channels", "chlist");
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(channels + 2, 7); // "A\0" then pixel type
        assertRefused(file, "channel 'A' has pixel type 7");
        file = fixture("scan_zip.exr");
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(channels + 2 + 8, 2); // xSampling
        assertRefused(file, "channel 'A' is subsampled");
    }

    /** Random damage to chunk data must end in a FILE_FORMAT error or a (wrong) image, nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"scan_rle.exr", "scan_zip.exr", "scan_piz.exr", "tiled_piz_smooth.exr", "wide_piz.exr"})
    void damagedChunkDataFailsCleanly(String name) throws IOException {
        byte[] original = fixture(name);
        int dataStart = tableStart(original);
        Random random = new Random(name.hashCode());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int round = 0; round < 150; round++) {
                byte[] damaged = original.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = dataStart + random.nextInt(damaged.length - dataStart);
                    damaged[at] = (byte) random.nextInt(256);
                }
                Path path = write(damaged);
                try {
                    ExrReader.read(path);
                } catch (ConduitException e) {
                    assertEquals(ErrorCode.FILE_FORMAT, e.code(), e.getMessage());
                } catch (RuntimeException e) {
                    fail("round " + round + " of " + name + " failed with " + e, e);
                }
            }
        });
    }

    @Test
    void missingFileIsFileNotFound() {
        ConduitException e = assertThrows(ConduitException.class, () -> ExrReader.read(dir.resolve("nope.exr")));
        assertEquals(ErrorCode.FILE_NOT_FOUND, e.code());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void assertRefused(byte[] content, String expectedFragment) throws IOException {
        Path path = write(content);
        ConduitException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(ConduitException.class, () -> ExrReader.read(path)));
        assertEquals(ErrorCode.FILE_FORMAT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(path.toString()), "the message names the file: " + e.getMessage());
    }

    private Path write(byte[] content) throws IOException {
        Path path = dir.resolve("damaged.exr");
        Files.write(path, content);
        return path;
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(ExrReferenceFilesTest.fixture(name));
    }

    private static int indexOf(byte[] file, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= file.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (file[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("'" + text + "' not found");
    }

    /** Where the value of attribute {@code name} of {@code type} starts. */
    private static int attributeValue(byte[] file, String name, String type) {
        return indexOf(file, name + "\0" + type + "\0") + name.length() + type.length() + 2 + 4;
    }

    /** Where the offset table starts: after the attribute list's terminating NUL. */
    private static int tableStart(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int p = 8;
        while (file[p] != 0) {
            while (file[p++] != 0) {
                // attribute name
            }
            while (file[p++] != 0) {
                // attribute type
            }
            p += 4 + b.getInt(p);
        }
        return p + 1;
    }

    private static void putBox(byte[] file, int at, int xMin, int yMin, int xMax, int yMax) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(at, xMin).putInt(at + 4, yMin)
                .putInt(at + 8, xMax).putInt(at + 12, yMax);
    }

    private static void putLong(byte[] file, int at, long value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    private static long getLong(byte[] file, int at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}
