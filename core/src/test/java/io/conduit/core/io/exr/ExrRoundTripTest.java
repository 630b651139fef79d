package io.conduit.core.io.exr;

import static io.conduit.core.io.exr.ExrAssertions.assertSameImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.tensor.Half;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What ExrWriter writes, ExrReader reads back bit for bit, for every writable compression. */
class ExrRoundTripTest {
    private static final List<ExrCompression> WRITABLE = List.of(ExrCompression.NONE, ExrCompression.RLE,
            ExrCompression.ZIPS, ExrCompression.ZIP, ExrCompression.PIZ);

    @TempDir
    Path dir;

    static Stream<Arguments> compressionsAndTypes() {
        List<Arguments> all = new ArrayList<>();
        for (ExrCompression compression : WRITABLE) {
            for (PixelType type : PixelType.values()) {
                all.add(Arguments.of(compression, type));
            }
        }
        return all.stream();
    }

    /**
     * One channel of each type, 53x41 (partial ZIP and PIZ chunks at the bottom), half smooth and
     * half random bits, so some chunks compress and others are stored raw.
     */
    @ParameterizedTest
    @MethodSource("compressionsAndTypes")
    void singleTypeRoundTrips(ExrCompression compression, PixelType type) {
        int w = 53;
        int h = 41;
        ExrImage.Builder builder = ExrImage.builder(ExrBox.ofSize(w, h));
        String name = "ch." + type;
        if (type == PixelType.UINT) {
            int[] values = new int[w * h];
            for (int p = 0; p < values.length; p++) {
                values[p] = p < values.length / 2 ? p / 7 : ExrTestImages.hash(p, 0, 9);
            }
            builder.uintChannel(name, values);
        } else {
            float[] values = new float[w * h];
            for (int p = 0; p < values.length; p++) {
                int bits = ExrTestImages.hash(p, 1, 9);
                float wild = type == PixelType.HALF ? Half.toFloat(ExrTestImages.finiteHalf(bits))
                        : ExrTestImages.finiteFloat(bits);
                values[p] = p < values.length / 2 ? (p % w) * 0.5f : wild;
            }
            builder.channel(name, type, values);
        }
        ExrImage image = builder.build();
        Path file = dir.resolve("single.exr");
        ExrWriter.write(image, file, compression);
        assertSameImage(image, ExrReader.read(file));
    }

    @ParameterizedTest
    @EnumSource(value = ExrCompression.class, names = {"NONE", "RLE", "ZIPS", "ZIP", "PIZ"})
    void mixedChannelsAndWindowsRoundTrip(ExrCompression compression) {
        for (ExrImage image : List.of(ExrTestImages.source(), ExrTestImages.smooth(), ExrTestImages.wide())) {
            Path file = dir.resolve("mixed.exr");
            ExrWriter.write(image, file, compression);
            assertSameImage(image, ExrReader.read(file));
        }
    }

    @Test
    void uintAboveTwoToThe24StaysExact() {
        int[] ids = {0xffffffff, 0x01000001, 0x89abcdef, 7};
        ExrImage image = ExrImage.builder(ExrBox.ofSize(2, 2)).uintChannel("id", ids).build();
        Path file = dir.resolve("ids.exr");
        ExrWriter.write(image, file, ExrCompression.PIZ);
        assertEquals(List.of(0xffffffff, 0x01000001, 0x89abcdef, 7),
                java.util.Arrays.stream(ExrReader.read(file).uints("id")).boxed().toList());
    }

    @Test
    void onePixelAndLongChannelNamesRoundTrip() {
        String longName = "a.channel.name.longer.than.thirty.one.bytes.Z";
        ExrImage image = ExrImage.builder(new ExrBox(-5, 7, -5, 7))
                .channel(longName, PixelType.FLOAT, new float[] {Float.MIN_VALUE})
                .channel("é", PixelType.HALF, new float[] {-0f})
                .build();
        for (ExrCompression compression : WRITABLE) {
            Path file = dir.resolve("one.exr");
            ExrWriter.write(image, file, compression);
            ExrImage back = ExrReader.read(file);
            assertSameImage(image, back);
            assertEquals(List.of(longName, "é"), back.channelNames());
        }
    }

    @Test
    void compressionActuallyShrinksSmoothImages() throws IOException {
        long none = sizeWith(ExrCompression.NONE);
        for (ExrCompression compression : List.of(ExrCompression.RLE, ExrCompression.ZIPS, ExrCompression.ZIP,
                ExrCompression.PIZ)) {
            long size = sizeWith(compression);
            assertTrue(size < none * 0.8, compression + " wrote " + size + " bytes, NONE " + none);
        }
    }

    @Test
    void writeLeavesNoTemporaryFileBehind() throws IOException {
        ExrWriter.write(ExrTestImages.source(), dir.resolve("a.exr"), ExrCompression.ZIP);
        ExrWriter.write(ExrTestImages.source(), dir.resolve("a.exr"), ExrCompression.PIZ);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("a.exr"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private long sizeWith(ExrCompression compression) throws IOException {
        Path file = dir.resolve("size-" + compression + ".exr");
        ExrWriter.write(ExrTestImages.smooth(), file, compression);
        return Files.size(file);
    }
}
