package io.conduit.core.engine.remote;

import java.net.URI;

/**
 * One inference service as the remote engine sees it: its URL, its circuit breaker, and the last
 * readiness answer (with when it was taken and why it failed), plus whether the service speaks the
 * binary tensor extension.
 */
final class Endpoint {
    final URI uri;
    final CircuitBreaker breaker;
    private Boolean ready;
    private long checkedAt;
    private String problem = "";
    private Boolean binary;

    Endpoint(URI uri, CircuitBreaker breaker) {
        this.uri = uri;
        this.breaker = breaker;
    }

    synchronized boolean readinessFresh(long now, long ttlNanos) {
        return ready != null && now - checkedAt < ttlNanos;
    }

    synchronized void readiness(boolean isReady, String why, long now) {
        ready = isReady;
        problem = why;
        checkedAt = now;
    }

    synchronized boolean ready() {
        return ready != null && ready;
    }

    synchronized String problem() {
        return problem;
    }

    synchronized Boolean binary() {
        return binary;
    }

    synchronized void binary(boolean supported) {
        binary = supported;
    }

    /** The URL without a trailing slash, as printed and as paths are appended to. */
    String base() {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
