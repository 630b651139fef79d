package io.conduit.core.engine.local;

import java.time.Duration;

/**
 * Settings of the local engine: ONNX Runtime's thread pools, graph optimisation, and how long a
 * GPU probe result is trusted. Immutable; build one with {@link #builder()}. Zero threads means
 * ONNX Runtime's own default (one per physical core).
 */
public final class LocalEngineConfig {
    private final int intraOpThreads;
    private final int interOpThreads;
    private final boolean optimize;
    private final Duration probeTtl;
    private final boolean preallocateOutputs;
    private final boolean allowSpinning;
    private final io.conduit.core.tensor.BufferPool outputPool;

    private LocalEngineConfig(Builder b) {
        this.outputPool = b.outputPool;
        this.allowSpinning = b.allowSpinning;
        this.preallocateOutputs = b.preallocateOutputs;
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
        this.optimize = b.optimize;
        this.probeTtl = b.probeTtl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static LocalEngineConfig defaults() {
        return builder().build();
    }

    public int intraOpThreads() {
        return intraOpThreads;
    }

    public int interOpThreads() {
        return interOpThreads;
    }

    public boolean optimize() {
        return optimize;
    }

    public Duration probeTtl() {
        return probeTtl;
    }

    /** Where preallocated outputs come from, or null for fresh buffers. */
    public io.conduit.core.tensor.BufferPool outputPool() {
        return outputPool;
    }

    /** Whether ONNX Runtime's idle pool threads busy-wait for the next task. */
    public boolean allowSpinning() {
        return allowSpinning;
    }

    /** Whether outputs of known shape are allocated by Conduit and written in place by ONNX Runtime. */
    public boolean preallocateOutputs() {
        return preallocateOutputs;
    }

    /** Builds a {@link LocalEngineConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private boolean optimize = true;
        private Duration probeTtl = Duration.ofSeconds(10);
        private boolean preallocateOutputs;
        private boolean allowSpinning;
        private io.conduit.core.tensor.BufferPool outputPool;

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = checkThreads("intraOpThreads", threads);
            return this;
        }

        public Builder interOpThreads(int threads) {
            this.interOpThreads = checkThreads("interOpThreads", threads);
            return this;
        }

        public Builder optimize(boolean optimize) {
            this.optimize = optimize;
            return this;
        }

        /** How long a GPU probe's answer is reused: free memory changes, but not every millisecond. */
        public Builder probeTtl(Duration ttl) {
            if (ttl == null || ttl.isNegative()) {
                throw new IllegalArgumentException("probeTtl must be zero or positive, got " + ttl);
            }
            this.probeTtl = ttl;
            return this;
        }

        /**
         * On, outputs whose shape is known before a run go into fresh direct buffers that ONNX
         * Runtime writes in place instead of being copied out. Off by default: fresh large direct
         * buffers cost page faults and are freed only by a GC, which made run times erratic in
         * {@code bench/} (see docs/benchmarks.md); callers that run repeatedly reuse their own
         * buffers through {@link LocalEngine#runInto} instead.
         */
        public Builder preallocateOutputs(boolean preallocate) {
            this.preallocateOutputs = preallocate;
            return this;
        }

        /**
         * Off by default: spinning pool threads keep cores busy between calls, which on an artist's
         * workstation takes CPU from the application the artist is working in. A dedicated
         * inference server may turn it on for lower latency.
         */
        public Builder allowSpinning(boolean allow) {
            this.allowSpinning = allow;
            return this;
        }

        /**
         * Preallocates outputs whose shape is known before a run from {@code pool}, so a service that
         * gives the buffers back after sending them avoids both the copy out of ONNX Runtime and a
         * fresh allocation per request.
         */
        public Builder outputPool(io.conduit.core.tensor.BufferPool pool) {
            this.outputPool = pool;
            this.preallocateOutputs = pool != null;
            return this;
        }

        public LocalEngineConfig build() {
            return new LocalEngineConfig(this);
        }

        private static int checkThreads(String name, int threads) {
            if (threads < 0 || threads > 1024) {
                throw new IllegalArgumentException(name + " must be 0 (ONNX Runtime's default) to 1024, got " + threads);
            }
            return threads;
        }
    }
}
