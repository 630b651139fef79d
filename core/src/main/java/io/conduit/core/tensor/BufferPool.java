package io.conduit.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reuses direct buffers of the sizes a service sees again and again (one model at one resolution
 * sends the same tensor sizes all day). A fresh 25 MB direct buffer costs zeroing and page faults
 * on every request and is freed only by a GC; a reused one costs nothing. Buffers come back dirty,
 * so only code that overwrites every byte may acquire them. At most {@code maxRetainedBytes} are
 * kept; beyond that, released buffers are left to the garbage collector. Thread-safe.
 */
public final class BufferPool {
    private final long maxRetainedBytes;
    private final Map<Integer, Queue<ByteBuffer>> free = new ConcurrentHashMap<>();
    private final AtomicLong retained = new AtomicLong();

    public BufferPool(long maxRetainedBytes) {
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /** A direct, native-order buffer of exactly {@code size} bytes, position 0, contents undefined. */
    public ByteBuffer acquire(int size) {
        Queue<ByteBuffer> queue = free.get(size);
        ByteBuffer reused = queue == null ? null : queue.poll();
        if (reused != null) {
            retained.addAndGet(-size);
            return reused.clear().order(ByteOrder.nativeOrder());
        }
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** Gives a buffer back once nothing reads or writes it any more; non-direct buffers are ignored. */
    public void release(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || buffer.capacity() == 0) {
            return;
        }
        int size = buffer.capacity();
        if (retained.addAndGet(size) > maxRetainedBytes) {
            retained.addAndGet(-size);
            return;
        }
        free.computeIfAbsent(size, s -> new ConcurrentLinkedQueue<>()).add(buffer);
    }

    /** Bytes held for reuse now. */
    public long retainedBytes() {
        return retained.get();
    }
}
