package io.conduit.server.http;

import java.time.Duration;

/**
 * How much the service accepts at once from uploads (request bodies), so that memory and worker threads
 * stay bounded whatever callers send: at most {@code perCaller} bodies in flight per token (per client
 * address without tokens), at most {@code inFlightBytes} of bodies in flight in total, at most
 * {@code jsonInFlightBytes} of them JSON (which takes some fifty times its size once parsed), and a
 * connection that sends nothing for {@code readIdle} is closed. Beyond a limit the answer is 503 with
 * {@code Retry-After}, which every Conduit client backs off from and retries.
 */
public record UploadLimits(int perCaller, long inFlightBytes, long jsonInFlightBytes, Duration readIdle) {
    /** 32 uploads per caller, 2 GiB in flight, 64 MiB of it JSON, 30 s without a byte. */
    public static final UploadLimits DEFAULT = new UploadLimits(32, 2L << 30, 64L << 20, Duration.ofSeconds(30));

    public UploadLimits {
        if (perCaller < 1) {
            throw new IllegalArgumentException("perCaller must be 1 or more, got " + perCaller);
        }
        if (inFlightBytes < 1 || jsonInFlightBytes < 1) {
            throw new IllegalArgumentException("inFlightBytes and jsonInFlightBytes must be positive, got "
                    + inFlightBytes + " and " + jsonInFlightBytes);
        }
        if (readIdle.isNegative() || readIdle.isZero()) {
            throw new IllegalArgumentException("readIdle must be positive, got " + readIdle);
        }
    }
}
