package io.conduit.server.http;

/** A count of bytes that may be held at once: reserve without waiting, release what was reserved. */
final class ByteBudget {
    private final long capacity;
    private long used;

    ByteBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Reserves {@code bytes} if they fit, else nothing; a request larger than the whole budget never fits. */
    synchronized boolean tryReserve(long bytes) {
        if (bytes > capacity - used) {
            return false;
        }
        used += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        used -= bytes;
    }

    long capacity() {
        return capacity;
    }
}
