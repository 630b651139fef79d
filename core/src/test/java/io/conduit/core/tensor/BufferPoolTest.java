package io.conduit.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void reusesReleasedBuffersOfTheSameSizeOnly() {
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer a = pool.acquire(1000);
        assertTrue(a.isDirect());
        assertEquals(1000, a.remaining());
        pool.release(a);
        assertEquals(1000, pool.retainedBytes());
        assertSame(a, pool.acquire(1000));
        assertEquals(0, pool.retainedBytes());
        pool.release(a);
        assertNotSame(a, pool.acquire(999), "another size gets its own buffer");
    }

    @Test
    void keepsNoMoreThanItsBoundAndIgnoresHeapBuffers() {
        BufferPool pool = new BufferPool(1500);
        pool.release(ByteBuffer.allocateDirect(1000));
        pool.release(ByteBuffer.allocateDirect(1000));
        assertEquals(1000, pool.retainedBytes(), "the second buffer would pass the bound");
        pool.release(ByteBuffer.allocate(100));
        assertEquals(1000, pool.retainedBytes());
    }
}
