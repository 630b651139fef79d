package io.conduit.core.io.exr;

import static io.conduit.core.io.exr.ExrAssertions.assertSameImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Files written by the reference OpenEXR library (through oiiotool, see make_exr_fixtures.sh)
 * decode to exactly the pixels they were made from. Since oiiotool made them from files Conduit's
 * writer produced, they also show OpenEXR reads Conduit's output correctly.
 */
class ExrReferenceFilesTest {
    static Path fixture(String name) {
        try {
            return Path.of(ExrReferenceFilesTest.class.getResource("/exr/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture /exr/" + name, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan_none", "scan_rle", "scan_zips", "scan_zip", "scan_piz",
            "tiled_none", "tiled_rle", "tiled_zips", "tiled_zip", "tiled_piz", "scan_zip_decreasing"})
    void referenceFileDecodesToTheSourcePixels(String name) {
        ExrImage image = ExrReader.read(fixture(name + ".exr"));
        assertSameImage(ExrTestImages.source(), image);
        assertEquals(List.of("A", "B", "G", "R", "depth.Z", "id"), image.channelNames(), "file order: sorted by name");
        assertEquals(new ExrBox(3, -2, 39, 20), image.dataWindow());
        assertEquals(new ExrBox(0, 0, 47, 31), image.displayWindow());
        assertEquals(PixelType.UINT, image.channel("id").type());
        assertEquals(PixelType.FLOAT, image.channel("depth.Z").type());
        assertEquals(PixelType.HALF, image.channel("R").type());
    }

    @Test
    void tiledPizWithCompressedTilesDecodes() {
        assertSameImage(ExrTestImages.smooth(), ExrReader.read(fixture("tiled_piz_smooth.exr")));
    }

    @Test
    void pizWithMoreThan16384DistinctWordsUsesTheWideWaveletAndDecodes() {
        assertSameImage(ExrTestImages.wide(), ExrReader.read(fixture("wide_piz.exr")));
    }

    @Test
    void mipmappedFileReadsItsFullResolutionLevel() {
        ExrImage level0 = ExrReader.read(fixture("tiled_zip_mipmap_level0.exr"));
        assertEquals(new ExrBox(0, -2, 47, 31), level0.dataWindow());
        assertSameImage(level0, ExrReader.read(fixture("tiled_zip_mipmap.exr")));
    }

    @Test
    void unsupportedCompressionIsRefusedByName() {
        ConduitException e = assertThrows(ConduitException.class, () -> ExrReader.read(fixture("scan_dwaa.exr")));
        assertEquals(ErrorCode.FILE_FORMAT, e.code());
        assertTrue(e.getMessage().contains("DWAA compression is not supported"), e.getMessage());
    }
}
