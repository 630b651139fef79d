package io.conduit.core.protocol;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Supplies the buffer a binary tensor of a message is read into: a fresh one, one from a service's
 * pool, or one the caller owns and reuses call after call.
 */
@FunctionalInterface
public interface TensorAllocator {
    /** A buffer with exactly {@code size} bytes remaining, for the tensor called {@code name}. */
    ByteBuffer allocate(String name, int size);

    /**
     * Takes back a buffer this allocator gave and the codec no longer uses (one it outgrew while a tensor's
     * bytes arrived); the default leaves it to the garbage collector.
     */
    default void release(ByteBuffer buffer) {
    }

    /** The same allocation whatever the tensor's name. */
    static TensorAllocator of(IntFunction<ByteBuffer> bySize) {
        return (name, size) -> bySize.apply(size);
    }

    /** As {@link #of(IntFunction)}, handing outgrown buffers to {@code release} (a pool's). */
    static TensorAllocator of(IntFunction<ByteBuffer> bySize, java.util.function.Consumer<ByteBuffer> release) {
        return new TensorAllocator() {
            @Override
            public ByteBuffer allocate(String name, int size) {
                return bySize.apply(size);
            }

            @Override
            public void release(ByteBuffer buffer) {
                release.accept(buffer);
            }
        };
    }
}
