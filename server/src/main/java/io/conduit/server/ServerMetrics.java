package io.conduit.server;

import io.conduit.server.telemetry.Telemetry;
import io.conduit.server.v2.TritonStatistics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The service's Prometheus metrics, per model and version: requests, failures (by error code),
 * queue, transfer and compute time, batch sizes, the routes that ran them and fallbacks; and the
 * per-inference {@link Telemetry} window. Uses the Prometheus Java client rather than hand-made
 * text, so names, escaping and the exposition format stay right.
 */
public final class ServerMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("conduit_inference_requests_total")
            .help("Inference requests received").labelNames("model", "version").register(registry);
    private final Counter failures = Counter.builder().name("conduit_inference_failures_total")
            .help("Inference requests that failed, by Conduit error code").labelNames("model", "version", "code")
            .register(registry);
    private final Histogram queueSeconds = Histogram.builder().name("conduit_inference_queue_seconds")
            .help("Time a request waited before its run started").labelNames("model", "version")
            .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    private final Histogram computeSeconds = Histogram.builder().name("conduit_inference_compute_seconds")
            .help("Time inside ONNX Runtime per run").labelNames("model", "version")
            .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    private final Counter routes = Counter.builder().name("conduit_inference_route_total")
            .help("Inferences by the route that ran them").labelNames("model", "version", "route").register(registry);
    private final Counter fallbacks = Counter.builder().name("conduit_inference_fallbacks_total")
            .help("Inferences another route took over after the first failed while running").labelNames("model", "version")
            .register(registry);
    private final Histogram transferSeconds = Histogram.builder().name("conduit_inference_transfer_seconds")
            .help("Time reading the request and writing the response").labelNames("model", "version")
            .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    private final Telemetry telemetry = new Telemetry();
    private final TritonStatistics statistics = new TritonStatistics();
    private final Histogram batchSize = Histogram.builder().name("conduit_inference_batch_size")
            .help("Requests joined into one run").labelNames("model", "version")
            .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64).register(registry);

    public void request(String model, String version) {
        requests.labelValues(model, version).inc();
    }

    public void failure(String model, String version, String code) {
        failures.labelValues(model, version, code).inc();
    }

    public void queued(String model, String version, long nanos) {
        queueSeconds.labelValues(model, version).observe(nanos / 1e9);
        statistics.queued(model, version, nanos);
    }

    public void computed(String model, String version, long nanos, int requestsInBatch) {
        computeSeconds.labelValues(model, version).observe(nanos / 1e9);
        batchSize.labelValues(model, version).observe(requestsInBatch);
        statistics.executed(model, version, nanos, requestsInBatch);
    }

    /** Triton-style cumulative statistics, behind /v2/models/.../stats. */
    TritonStatistics statistics() {
        return statistics;
    }

    /** The per-inference records behind /conduit/v1/stats. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Records one inference in the telemetry window and in the route, fallback and transfer metrics. */
    public void sample(Telemetry.Sample s) {
        telemetry.record(s);
        statistics.finished(s.model(), s.version(), (long) (s.totalMs() * 1e6), s.code().isEmpty(), s.at().toEpochMilli());
        if (s.code().isEmpty()) {
            routes.labelValues(s.model(), s.version(), s.route()).inc();
            transferSeconds.labelValues(s.model(), s.version()).observe(s.transferMs() / 1e3);
            if (s.fallback()) {
                fallbacks.labelValues(s.model(), s.version()).inc();
            }
        }
    }

    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
