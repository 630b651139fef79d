package io.conduit.server.http;

/**
 * How many writes one token may make a minute to the endpoints that only record things: feedback notes
 * ({@code POST /conduit/v1/feedback}) and telemetry batches ({@code POST /conduit/v1/telemetry}). Each is a
 * token bucket holding a minute's worth, so a burst after an agent was offline goes through at once and
 * only a sustained flood is answered 429 with {@code Retry-After}, which the agents' uploaders wait out.
 */
public record RateLimits(int feedbackPerMinute, int telemetryPerMinute) {
    /** 600 notes and 600 telemetry batches a minute per token (an agent sends one batch every few seconds). */
    public static final RateLimits DEFAULT = new RateLimits(600, 600);

    public RateLimits {
        if (feedbackPerMinute < 1 || telemetryPerMinute < 1) {
            throw new IllegalArgumentException("feedbackPerMinute and telemetryPerMinute must be 1 or more, got "
                    + feedbackPerMinute + " and " + telemetryPerMinute);
        }
    }
}
