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

    private LocalEngineConfig(Builder b) {
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

    /** Builds a {@link LocalEngineConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private boolean optimize = true;
        private Duration probeTtl = Duration.ofSeconds(10);

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
