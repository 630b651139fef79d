package io.conduit.server.v2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.ChannelInputStream;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.registry.ArtistContext;
import io.conduit.server.ServerMetrics;
import io.conduit.server.http.AccessLog;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.HttpExchange;
import io.conduit.server.http.LimitedInputStream;
import io.conduit.server.http.RequestBodyChannel;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The KServe V2 / Open Inference Protocol endpoints, plus {@code /metrics}. Health endpoints are
 * open; everything else needs a bearer token when the server has a tokens file, checked by
 * {@link AuthHandler} before this handler runs. Every failure is
 * answered as {@code {"error": "..."}} with the status of its {@link ErrorCode}, and never stops
 * the server.
 */
public final class V2Handler extends Handler.Abstract {
    private static final Pattern MODEL_PATH = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");

    private final V2Inference inference;
    private final ModelRepository repository;
    private final ServerMetrics metrics;
    private final long maxRequestBytes;
    private final long maxJsonBytes;
    private volatile boolean ready;

    /** Request headers naming the caller's show and department, for rollout rules (the user comes from the token). */
    public static final String SHOW_HEADER = "Conduit-Show";
    static final String DEPARTMENT_HEADER = "Conduit-Department";
    /** Request header asking for a route: auto (the default), gpu, cpu or remote, as a bridge's device menu sets it. */
    static final String DEVICE_HEADER = "Conduit-Device";

    public V2Handler(V2Inference inference, ModelRepository repository, ServerMetrics metrics, long maxRequestBytes,
                     long maxJsonBytes) {
        this.inference = inference;
        this.repository = repository;
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.maxJsonBytes = maxJsonBytes;
    }

    public void setReady(boolean ready) {
        this.ready = ready;
    }

    /** Whether the server takes inference requests (false before start and once shutdown began). */
    public boolean ready() {
        return ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            if (path.equals("/v2/health/live")) {
                requireMethod(method, "GET", path);
                return health(response, callback, true);
            }
            if (path.equals("/v2/health/ready")) {
                requireMethod(method, "GET", path);
                return serverReady(response, callback);
            }
            if (path.equals("/metrics")) {
                requireMethod(method, "GET", path);
                HttpExchange.stream(response, callback, 200, ServerMetrics.CONTENT_TYPE, -1, metrics::writeTo);
                return true;
            }
            if (path.equals("/v2") || path.equals("/v2/")) {
                requireMethod(method, "GET", path);
                HttpExchange.json(response, callback, 200, serverMetadata());
                return true;
            }
            Matcher m = MODEL_PATH.matcher(path);
            if (!m.matches()) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no endpoint " + method + " " + path
                        + "; see GET /v2 and /v2/models/{name}");
            }
            V2Inference.Picked model = inference.pick(m.group(1), m.group(2), () -> new ArtistContext(
                    request.getHeaders().get(SHOW_HEADER), request.getHeaders().get(DEPARTMENT_HEADER),
                    AuthHandler.caller(request).user()));
            String action = m.group(3) == null ? "" : m.group(3);
            switch (action) {
                case "/infer" -> {
                    requireMethod(method, "POST", path);
                    infer(model.resolved(), request, response, callback);
                }
                case "/ready" -> {
                    requireMethod(method, "GET", path);
                    ModelSlot slot = model.slot();
                    boolean modelReady = ready && slot.state() == ModelState.READY;
                    JsonObject body = readyBody(modelReady);
                    body.addProperty("state", slot.state().name());
                    if (slot.state() == ModelState.UNAVAILABLE) {
                        body.addProperty("reason", slot.reason());
                    }
                    HttpExchange.json(response, callback, modelReady ? 200 : 503, body);
                }
                default -> {
                    requireMethod(method, "GET", path);
                    HttpExchange.json(response, callback, 200, modelMetadata(model.slot()));
                }
            }
        } catch (ConduitException e) {
            if (e.code() == ErrorCode.METHOD_NOT_ALLOWED) {
                response.getHeaders().put(HttpHeader.ALLOW, path.endsWith("/infer") ? "POST" : "GET");
            }
            HttpExchange.error(response, callback, e);
        } catch (OutOfMemoryError e) {
            HttpExchange.error(response, callback, ErrorCode.OVERLOADED, "the server is out of memory for this request;"
                    + " retry later or send a smaller one");
        } catch (Exception e) {
            HttpExchange.internal(response, callback, ErrorCode.INTERNAL, e);
        }
        return true;
    }

    private void infer(V2Inference.Resolved model, Request request, Response response, Callback callback)
            throws Exception {
        boolean streaming = false;
        try (V2Inference.Call call = inference.begin(model)) {
            try {
                InferRequest decoded = readRequest(request);
                call.read(decoded);
                // Checked after the body is read, so the caller gets this answer rather than a reset connection.
                InferResponse answer = call.run(request.getHeaders().get(PackageDigest.HEADER), device(request));
                request.setAttribute(AccessLog.ROUTE, call.route());
                V2Body body = V2Codec.encodeResponse(answer, binaryOutputs(decoded));
                if (body.binary()) {
                    response.getHeaders().put(V2Body.HEADER_LENGTH, body.header().length);
                }
                streaming = true;
                HttpExchange.writeBody(response, callback, body);
                call.answered();
            } catch (ConduitException e) {
                call.failed(e);
                if (streaming) {
                    callback.failed(e);
                    return;
                }
                throw e;
            } catch (java.io.IOException e) {
                callback.failed(e); // the client went away mid-response; nothing more can be said to it
            }
        }
    }

    private InferRequest readRequest(Request request) {
        String headerLength = request.getHeaders().get(V2Body.HEADER_LENGTH);
        Long jsonLength;
        try {
            jsonLength = headerLength == null ? null : Long.parseLong(headerLength.trim());
        } catch (NumberFormatException e) {
            throw new io.conduit.core.protocol.ProtocolException(V2Body.HEADER_LENGTH + " is \"" + headerLength
                    + "\"; expected a byte count");
        }
        // A JSON tensor takes up to ~10 times its text in memory while parsed (and far longer than binary),
        // so JSON bodies get a smaller limit than binary ones; large tensors belong in binary data.
        long limit = jsonLength == null ? Math.min(maxRequestBytes, maxJsonBytes) : maxRequestBytes;
        String kind = jsonLength == null ? " (JSON bodies: send large tensors as binary data, or raise --max-json-mb)" : "";
        long declared = request.getLength();
        if (declared > limit) {
            throw LimitedInputStream.tooLarge(declared + " bytes", limit, kind);
        }
        try (InputStream body = new LimitedInputStream(new ChannelInputStream(new RequestBodyChannel(request)),
                limit, kind)) {
            return V2Codec.decodeRequest(body, jsonLength, declared >= 0 ? declared : limit,
                    inference.allocator());
        } catch (java.io.IOException e) {
            throw new io.conduit.core.protocol.ProtocolException("the body could not be read: " + e.getMessage(), e);
        }
    }

    private static io.conduit.core.engine.DevicePreference device(Request request) {
        String asked = request.getHeaders().get(DEVICE_HEADER);
        return asked == null || asked.isBlank() ? io.conduit.core.engine.DevicePreference.AUTO
                : io.conduit.core.engine.DevicePreference.parse(asked.trim());
    }

    private static java.util.function.Predicate<String> binaryOutputs(InferRequest request) {
        Map<String, Boolean> byName = new LinkedHashMap<>();
        request.outputs().forEach(o -> byName.put(o.name(), o.binary()));
        return output -> byName.getOrDefault(output, request.binaryOutputs());
    }

    /** Ready once every configured model has finished loading (a model that failed does not hold it up), until shutdown. */
    private boolean serverReady(Response response, Callback callback) {
        long loading = repository.slots().stream().filter(s -> s.state() == ModelState.LOADING).count();
        boolean ok = ready && inference.allLoaded();
        JsonObject body = readyBody(ok);
        if (loading > 0) {
            body.addProperty("reason", loading + " of " + repository.slots().size() + " model version(s) still loading");
        }
        HttpExchange.json(response, callback, ok ? 200 : 503, body);
        return true;
    }

    private static boolean health(Response response, Callback callback, boolean ok) {
        HttpExchange.json(response, callback, ok ? 200 : 503, readyBody(ok));
        return true;
    }

    private static JsonObject readyBody(boolean ok) {
        JsonObject body = new JsonObject();
        body.addProperty("ready", ok);
        return body;
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!expected.equals(method)) {
            throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, method + " " + path + " is not supported; use "
                    + expected);
        }
    }

    private static JsonObject serverMetadata() {
        JsonObject o = new JsonObject();
        o.addProperty("name", V2Inference.SERVER_NAME);
        o.addProperty("version", V2Inference.SERVER_VERSION);
        JsonArray extensions = new JsonArray();
        V2Inference.EXTENSIONS.forEach(extensions::add);
        o.add("extensions", extensions);
        return o;
    }

    /**
     * V2's model metadata, plus the version's {@code state} (Triton's names) and, when it could not
     * load, the {@code reason}; a version not yet loaded shows the signature its package's header
     * declares, or none when only its name is known yet (a registry version still being pulled).
     */
    private JsonObject modelMetadata(ModelSlot model) {
        JsonObject o = new JsonObject();
        o.addProperty("name", model.name());
        JsonArray versions = new JsonArray();
        repository.versions(model.name()).forEach(v -> versions.add(v.toString()));
        o.add("versions", versions);
        o.addProperty("platform", V2Inference.PLATFORM);
        model.manifest().ifPresent(m -> {
            o.add("inputs", tensors(m.inputs()));
            o.add("outputs", tensors(m.outputs()));
        });
        o.addProperty("state", model.state().name());
        if (model.state() == ModelState.UNAVAILABLE) {
            o.addProperty("reason", model.reason());
        }
        return o;
    }

    private static JsonArray tensors(List<TensorSpec> specs) {
        JsonArray array = new JsonArray();
        for (TensorSpec s : specs) {
            array.add(io.conduit.core.manifest.ManifestWriter.signature(s));
        }
        return array;
    }
}
