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

    /** Whether a call may go through now; after the open period exactly one caller gets to probe. */
    synchronized boolean allows(long now) {
        if (consecutiveFailures < threshold) {
            return true;
        }
        if (now - openUntil >= 0) {
            openUntil = now + openNanos; // this caller probes; the rest wait for its outcome
            return true;
        }
        return false;
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
        return consecutiveFailures >= threshold && now - openUntil < 0;
    }
}
