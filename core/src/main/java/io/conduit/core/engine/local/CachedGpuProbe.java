package io.conduit.core.engine.local;

import java.time.Duration;

/**
 * Reuses a probe's answer for a while, so running a model a thousand times does not start
 * {@code nvidia-smi} a thousand times. Thread-safe; a stale answer costs at most one fallback.
 */
final class CachedGpuProbe implements GpuProbe {
    private final GpuProbe delegate;
    private final long ttlNanos;
    private GpuStatus last;
    private long takenAt;

    CachedGpuProbe(GpuProbe delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public synchronized GpuStatus probe() {
        long now = System.nanoTime();
        if (last == null || now - takenAt > ttlNanos) {
            last = delegate.probe();
            takenAt = now;
        }
        return last;
    }
}
