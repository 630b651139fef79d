package io.conduit.core.engine.remote;

import java.util.concurrent.ThreadLocalRandom;

/**
 * "Full jitter" exponential back-off: before retry {@code n} wait a uniformly random time between
 * zero and {@code min(max, base * 2^n)}, so clients told to back off by the same 503 do not return
 * in lock-step (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
final class Backoff {
    private final long baseNanos;
    private final long maxNanos;

    Backoff(long baseNanos, long maxNanos) {
        this.baseNanos = Math.max(1, baseNanos);
        this.maxNanos = Math.max(this.baseNanos, maxNanos);
    }

    long delayNanos(int attempt) {
        long ceiling = attempt >= 30 ? maxNanos : Math.min(maxNanos, baseNanos << attempt);
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
