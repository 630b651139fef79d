package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.server.ServerMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the metrics port answers ({@code conduit serve --metrics-port}): {@code GET /metrics}
 * without a token, so Prometheus can scrape the pod as the manifests' annotations say, and
 * nothing else: models, inference and the registry stay behind the main port's tokens.
 * Requests on the main port pass through untouched.
 */
public final class MetricsPortHandler extends Handler.Abstract {
    private final Connector metricsConnector;
    private final ServerMetrics metrics;

    public MetricsPortHandler(Connector metricsConnector, ServerMetrics metrics) {
        this.metricsConnector = metricsConnector;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() != metricsConnector) {
            return false;
        }
        String path = Request.getPathInContext(request);
        if (!path.equals("/metrics")) {
            HttpExchange.error(response, callback, ErrorCode.FILE_NOT_FOUND, "the metrics port serves GET /metrics only;"
                    + " everything else is on the main port");
        } else if (!request.getMethod().equals("GET")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            HttpExchange.error(response, callback, ErrorCode.METHOD_NOT_ALLOWED, request.getMethod() + " /metrics is not"
                    + " supported; use GET");
        } else {
            try {
                HttpExchange.stream(response, callback, 200, ServerMetrics.CONTENT_TYPE, -1, metrics::writeTo);
            } catch (java.io.IOException e) {
                callback.failed(e);
            } catch (ConduitException e) {
                HttpExchange.error(response, callback, e.code(), e.getMessage());
            }
        }
        return true;
    }
}
