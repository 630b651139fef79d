package io.conduit.server.v2;

import com.google.gson.JsonObject;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.server.http.HttpExchange;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * With {@code conduit serve --require-gpu}: server and model readiness answer 503, with the
 * reason, until the GPU probe confirms CUDA (a GPU the driver sees, and an ONNX Runtime build with
 * the CUDA provider), so a pod scheduled on a node whose GPU is missing or broken never takes
 * traffic it would run on the CPU. Asked on every probe (the probe caches its answer), so a GPU
 * that comes back makes the server ready again. Everything else passes through.
 */
public final class GpuReadinessGate extends Handler.Abstract {
    private static final Pattern MODEL_READY = Pattern.compile("/v2/models/[^/]+(?:/versions/[^/]+)?/ready");

    private final Supplier<GpuStatus> probe;

    public GpuReadinessGate(Supplier<GpuStatus> probe) {
        this.probe = probe;
    }

    /** Why the server is not ready for want of CUDA, or empty once the probe confirms it. */
    public java.util.Optional<String> refusal() {
        GpuStatus status = probe.get();
        if (!status.gpus().isEmpty() && status.cudaProviderAvailable()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("--require-gpu: CUDA is not confirmed: " + (status.problem().isEmpty()
                ? (status.gpus().isEmpty() ? "no GPU visible" : "this ONNX Runtime build has no CUDA provider")
                : status.problem()));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals("/v2/health/ready") && !MODEL_READY.matcher(path).matches()) {
            return false;
        }
        java.util.Optional<String> refusal = refusal();
        if (refusal.isEmpty()) {
            return false; // confirmed: the usual readiness answers
        }
        JsonObject body = new JsonObject();
        body.addProperty("ready", false);
        body.addProperty("reason", refusal.get());
        HttpExchange.json(response, callback, 503, body);
        return true;
    }
}
