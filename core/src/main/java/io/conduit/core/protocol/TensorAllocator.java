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

    /** The same allocation whatever the tensor's name. */
    static TensorAllocator of(IntFunction<ByteBuffer> bySize) {
        return (name, size) -> bySize.apply(size);
    }
}
