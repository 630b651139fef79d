package io.conduit.core.engine.remote;

/**
 * Skips an endpoint after {@code threshold} consecutive failures for {@code openNanos}, then lets
 * one call through to probe it ("half open"): a dead service costs one failure per period instead
 * of one per call. Thread-safe.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long openNanos;
    private int consecutiveFailures;
    private long openUntil;

    CircuitBreaker(int threshold, long openNanos) {
        this.threshold = Math.max(1, threshold);
        this.openNanos = openNanos;
    }

    synchronized boolean allows(long now) {
        return consecutiveFailures < threshold || now - openUntil >= 0;
    }

    synchronized void success() {
        consecutiveFailures = 0;
    }

    synchronized void failure(long now) {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            openUntil = now + openNanos;
        }
    }

    synchronized boolean open(long now) {
        return !allows(now);
    }
}
