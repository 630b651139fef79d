package io.conduit.server.v2;

import java.time.Duration;

/**
 * How one model is scheduled: the most rows (first-axis entries) one run may join from queued
 * requests, how long the first request waits for company, how many runs go at once, and how many
 * requests may queue before the server answers 503.
 */
public record BatchingConfig(int maxBatchSize, Duration maxQueueDelay, int instances, int queueCapacity) {
    public static final BatchingConfig DEFAULT = new BatchingConfig(1, Duration.ZERO, 1, 64);

    public BatchingConfig {
        if (maxBatchSize < 1 || instances < 1 || queueCapacity < 1 || maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("batching needs maxBatchSize, instances and queueCapacity of at least 1"
                    + " and a queue delay of 0 or more; got " + maxBatchSize + ", " + instances + ", " + queueCapacity
                    + ", " + maxQueueDelay);
        }
    }
}
