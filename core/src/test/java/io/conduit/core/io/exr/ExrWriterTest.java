package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract beyond round trips: what it refuses, file layout, and atomicity. */
class ExrWriterTest {
    @TempDir
    Path dir;

    @Test
    void unsupportedCompressionIsRefusedByName() {
        ConduitException e = assertThrows(ConduitException.class,
                () -> ExrWriter.write(ExrTestImages.source(), dir.resolve("x.exr"), ExrCompression.DWAA));
        assertEquals(ErrorCode.FILE_FORMAT, e.code());
        assertTrue(e.getMessage().contains("DWAA"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.exr")));
    }

    @Test
    void failedWriteLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("plate.exr");
        Files.createDirectories(target.resolve("in-the-way")); // a non-empty folder cannot be replaced
        ConduitException e = assertThrows(ConduitException.class,
                () -> ExrWriter.write(ExrTestImages.source(), target, ExrCompression.ZIP));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(Files.isDirectory(target.resolve("in-the-way")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("plate.exr"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void channelsAreStoredInOpenExrOrderWhateverOrderTheyWereGiven() throws IOException {
        ExrImage image = ExrImage.builder(ExrBox.ofSize(1, 1))
                .channel("depth.Z", PixelType.FLOAT, new float[] {5})
                .channel("R", PixelType.HALF, new float[] {1})
                .channel("B", PixelType.HALF, new float[] {3})
                .build();
        Path file = dir.resolve("order.exr");
        ExrWriter.write(image, file, ExrCompression.NONE);
        String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(header.indexOf("B\0") < header.indexOf("R\0") && header.indexOf("R\0") < header.indexOf("depth.Z\0"));
        ExrImage back = ExrReader.read(file);
        assertEquals(List.of("B", "R", "depth.Z"), back.channelNames());
        assertEquals(5f, back.floats("depth.Z")[0]);
    }
}
