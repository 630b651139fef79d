package io.conduit.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void rangesAsFarmTdsWriteThem() {
        assertEquals(List.of(1001, 1002, 1003), FrameRange.parse("1001-1003"));
        assertEquals(List.of(1, 3, 5, 9), FrameRange.parse("1-5x2, 9"));
        assertEquals(List.of(-2, -1, 0), FrameRange.parse("-2-0"));
        assertEquals(List.of(2147483646, 2147483647), FrameRange.parse("2147483646-2147483647"), "no wrap-around");
        assertThrows(ConduitException.class, () -> FrameRange.parse("-2000000000-2000000000"), "too many, not overflowed");
        for (String bad : new String[]{"10-1", "a-b", "1-5x0", "1-2000000", ""}) {
            ConduitException e = assertThrows(ConduitException.class, () -> FrameRange.parse(bad), bad);
            assertTrue(e.getMessage().contains("is not FIRST-LAST[xSTEP] or FRAME"), e.getMessage());
        }
    }

    @Test
    void patternsInPrintfAndHashStyle() {
        assertEquals(Path.of("plates/sh010.1001.exr"), new FramePattern("plates/sh010.%04d.exr").frame(1001));
        assertEquals(Path.of("out.7.npy"), new FramePattern("out.%d.npy").frame(7));
        assertEquals(Path.of("out.0042.png"), new FramePattern("out.####.png").frame(42));
        assertEquals(Path.of("mask.png"), new FramePattern("mask.png").frame(3));
        assertFalse(new FramePattern("mask.png").varies());
        assertThrows(ConduitException.class, () -> new FramePattern("a.%04d.####.exr"));
    }
}
