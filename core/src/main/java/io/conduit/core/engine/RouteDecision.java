package io.conduit.core.engine;

import java.util.Objects;

/**
 * The route an engine chose and, in words a TD can act on, why: "GPU 0 (NVIDIA RTX A5000) has
 * 20120 MiB free, the model needs 2048 MiB" or "no NVIDIA driver found; the model allows CPU".
 * Conduit never picks a device silently.
 *
 * @param gpuIndex the CUDA device index for {@link Route#LOCAL_GPU}, otherwise -1
 * @param endpoint the service's base URL for {@link Route#REMOTE}, otherwise empty
 * @param fallback whether a route tried first failed while running (CUDA would not start, the service
 *                 went away) and this one took over: what telemetry counts as a fallback
 * @param packageConfirmed whether the route proved it ran the caller's package: always for the local
 *                 routes (they run it), for a service only when it answered the same package digest, so
 *                 a cache may treat the result as that package's
 */
public record RouteDecision(Route route, String reason, int gpuIndex, String endpoint, boolean fallback,
                            boolean packageConfirmed) {
    public RouteDecision {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(reason, "reason");
        endpoint = endpoint == null ? "" : endpoint;
    }

    public RouteDecision(Route route, String reason, int gpuIndex, String endpoint, boolean fallback) {
        this(route, reason, gpuIndex, endpoint, fallback, route != Route.REMOTE);
    }

    public RouteDecision(Route route, String reason, int gpuIndex, String endpoint) {
        this(route, reason, gpuIndex, endpoint, false);
    }

    public static RouteDecision cpu(String reason) {
        return new RouteDecision(Route.LOCAL_CPU, reason, -1, "");
    }

    public static RouteDecision gpu(int index, String reason) {
        return new RouteDecision(Route.LOCAL_GPU, reason, index, "");
    }

    public static RouteDecision remote(String endpoint, String reason) {
        return new RouteDecision(Route.REMOTE, reason, -1, endpoint);
    }

    /** The same route with more said about how it came to be (e.g. a fallback). */
    public RouteDecision withReason(String newReason) {
        return new RouteDecision(route, newReason, gpuIndex, endpoint, fallback, packageConfirmed);
    }

    /** The same route, marked as taking over from one that failed while running. */
    public RouteDecision asFallback() {
        return new RouteDecision(route, reason, gpuIndex, endpoint, true, packageConfirmed);
    }

    /** The same route, saying the service answered the caller's own package digest. */
    public RouteDecision withPackageConfirmed() {
        return new RouteDecision(route, reason, gpuIndex, endpoint, fallback, true);
    }
}
