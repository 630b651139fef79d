package io.conduit.server.v2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InputValidator;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.ChannelInputStream;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.ServerMetrics;
import io.conduit.server.http.AccessLog;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.HttpExchange;
import io.conduit.server.http.LimitedInputStream;
import io.conduit.server.http.RequestBodyChannel;
import io.conduit.server.telemetry.Telemetry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
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
    static final String SERVER_NAME = "conduit";
    static final String SERVER_VERSION = "0.1.0";
    /** Route and reason of each inference, in the response's parameters. */
    static final String ROUTE_PARAMETER = "conduit_route";
    static final String REASON_PARAMETER = "conduit_reason";
    /** The model's own run time in milliseconds, so a caller can tell it from transfer and queueing. */
    static final String COMPUTE_PARAMETER = "conduit_compute_ms";

    private static final Pattern MODEL_PATH = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");

    private final ModelRepository repository;
    private final Map<ModelPackage, ModelScheduler> schedulers;
    private final ServerMetrics metrics;
    private final long maxRequestBytes;
    private final long maxJsonBytes;
    private final io.conduit.core.tensor.BufferPool buffers;
    private final io.conduit.core.registry.Registry registry;
    private volatile boolean ready;
    /** Who recorded the telemetry: "agent" or "service". */
    private volatile String source;

    /** Request headers naming the caller's show and department, for rollout rules (the user comes from the token). */
    public static final String SHOW_HEADER = "Conduit-Show";
    static final String DEPARTMENT_HEADER = "Conduit-Department";
    /** Request header asking for a route: auto (the default), gpu, cpu or remote, as a bridge's device menu sets it. */
    static final String DEVICE_HEADER = "Conduit-Device";
    static final String RESOLVED_PARAMETER = "conduit_resolved_by";

    public V2Handler(ModelRepository repository, Map<ModelPackage, ModelScheduler> schedulers, ServerMetrics metrics, long maxRequestBytes, long maxJsonBytes, io.conduit.core.tensor.BufferPool buffers,
              io.conduit.core.registry.Registry registry) {
        this.repository = repository;
        this.schedulers = schedulers;
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.maxJsonBytes = maxJsonBytes;
        this.buffers = buffers;
        this.registry = registry;
        this.source = "service";
    }

    /** Marks the telemetry this handler records as coming from {@code source} (the agent's). */
    public void recordAs(String source) {
        this.source = source;
    }

    public void setReady(boolean ready) {
        this.ready = ready;
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
            String version = m.group(2);
            String resolvedBy = "";
            if (version == null && registry != null) {
                // A bare name gets the version the caller's show, department and user resolve to.
                String caller = AuthHandler.caller(request).user();
                var resolution = registry.resolve(m.group(1), new io.conduit.core.registry.ArtistContext(
                        request.getHeaders().get(SHOW_HEADER), request.getHeaders().get(DEPARTMENT_HEADER), caller));
                version = resolution.version().toString();
                resolvedBy = resolution.chosenBy();
            }
            ModelSlot model = repository.slot(m.group(1), version);
            String action = m.group(3) == null ? "" : m.group(3);
            switch (action) {
                case "/infer" -> {
                    requireMethod(method, "POST", path);
                    infer(model.require(), request, response, callback, resolvedBy);
                }
                case "/ready" -> {
                    requireMethod(method, "GET", path);
                    boolean modelReady = ready && model.state() == ModelState.READY;
                    JsonObject body = readyBody(modelReady);
                    body.addProperty("state", model.state().name());
                    if (model.state() == ModelState.UNAVAILABLE) {
                        body.addProperty("reason", model.reason());
                    }
                    HttpExchange.json(response, callback, modelReady ? 200 : 503, body);
                }
                default -> {
                    requireMethod(method, "GET", path);
                    HttpExchange.json(response, callback, 200, modelMetadata(model));
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

    private void infer(ModelPackage model, Request request, Response response, Callback callback, String resolvedBy)
            throws Exception {
        Manifest manifest = model.manifest();
        String name = manifest.name();
        String version = manifest.version().toString();
        metrics.request(name, version);
        InferRequest inferRequest = null;
        InferenceResult result = null;
        boolean streaming = false;
        long started = System.nanoTime();
        long read = started;
        long answered = started;
        try {
            inferRequest = readRequest(request);
            read = System.nanoTime();
            // Checked after the body is read, so the caller gets this answer rather than a reset connection.
            String callers = request.getHeaders().get(PackageDigest.HEADER);
            if (callers != null && !callers.isBlank() && !callers.trim().equals(model.digest())) {
                throw PackageDigest.mismatch(manifest.coordinate(), "the service", model.digest(), callers.trim());
            }
            Map<String, Tensor> inputs = inferRequest.inputMap();
            InputValidator.validate(manifest, inputs);
            Set<String> wanted = requestedOutputs(manifest, inferRequest);
            result = await(schedulers.get(model).submit(inputs, device(request)));
            answered = System.nanoTime();
            List<NamedTensor> outputs = new ArrayList<>();
            result.outputs().forEach((outName, tensor) -> {
                if (wanted.contains(outName)) {
                    outputs.add(new NamedTensor(outName, tensor));
                }
            });
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put(ROUTE_PARAMETER, result.route().route().label());
            request.setAttribute(AccessLog.ROUTE, result.route().route().label());
            parameters.put(REASON_PARAMETER, result.route().reason());
            parameters.put(COMPUTE_PARAMETER, String.format(java.util.Locale.ROOT, "%.3f", result.computeNanos() / 1e6));
            parameters.put(PackageDigest.PARAMETER, model.digest());
            if (!resolvedBy.isEmpty()) {
                parameters.put(RESOLVED_PARAMETER, resolvedBy);
            }
            InferResponse inferResponse = new InferResponse(name, version, inferRequest.id(), outputs, parameters);
            V2Body body = V2Codec.encodeResponse(inferResponse, binaryOutputs(inferRequest));
            if (body.binary()) {
                response.getHeaders().put(V2Body.HEADER_LENGTH, body.header().length);
            }
            streaming = true;
            HttpExchange.writeBody(response, callback, body);
            long done = System.nanoTime();
            metrics.sample(new Telemetry.Sample(java.time.Instant.now(), source, name, version, result.route().route().label(),
                    result.route().endpoint(), (result.totalNanos() - result.computeNanos()) / 1e6,
                    ((read - started) + (done - answered)) / 1e6, result.computeNanos() / 1e6, (done - started) / 1e6,
                    inputBytes(inferRequest), "", result.route().fallback()));
        } catch (ConduitException e) {
            metrics.failure(name, version, e.code().searchCode());
            metrics.sample(new Telemetry.Sample(java.time.Instant.now(), source, name, version, "", "", 0, 0, 0,
                    (System.nanoTime() - started) / 1e6, inferRequest == null ? 0 : inputBytes(inferRequest),
                    e.code().searchCode(), false));
            if (streaming) {
                callback.failed(e);
                return;
            }
            throw e;
        } catch (java.io.IOException e) {
            callback.failed(e); // the client went away mid-response; nothing more can be said to it
        } finally {
            releaseBuffers(inferRequest, result);
        }
    }

    private static long inputBytes(InferRequest request) {
        long bytes = 0;
        for (NamedTensor t : request.inputs()) {
            bytes += t.tensor().bytes().remaining();
        }
        return bytes;
    }

    /** Every tensor of a finished exchange goes back to the pool, each buffer once. */
    private void releaseBuffers(InferRequest request, InferenceResult result) {
        java.util.Set<java.nio.ByteBuffer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Tensor> tensors = new ArrayList<>();
        if (request != null) {
            request.inputs().forEach(t -> tensors.add(t.tensor()));
        }
        if (result != null) {
            tensors.addAll(result.outputs().values());
        }
        for (Tensor t : tensors) {
            java.nio.ByteBuffer backing = t.backingBuffer();
            if (seen.add(backing)) {
                buffers.release(backing);
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
        // A JSON tensor takes ~50 times its body size in memory once parsed, so JSON bodies get a
        // smaller limit than binary ones; large tensors belong in binary data.
        long limit = jsonLength == null ? Math.min(maxRequestBytes, maxJsonBytes) : maxRequestBytes;
        String kind = jsonLength == null ? " (JSON bodies: send large tensors as binary data, or raise --max-json-mb)" : "";
        long declared = request.getLength();
        if (declared > limit) {
            throw LimitedInputStream.tooLarge(declared + " bytes", limit, kind);
        }
        try (InputStream body = new LimitedInputStream(new ChannelInputStream(new RequestBodyChannel(request)),
                limit, kind)) {
            return V2Codec.decodeRequest(body, jsonLength, declared >= 0 ? declared : limit,
                    io.conduit.core.protocol.TensorAllocator.of(buffers::acquire));
        } catch (java.io.IOException e) {
            throw new io.conduit.core.protocol.ProtocolException("the body could not be read: " + e.getMessage(), e);
        }
    }

    private static io.conduit.core.engine.DevicePreference device(Request request) {
        String asked = request.getHeaders().get(DEVICE_HEADER);
        return asked == null || asked.isBlank() ? io.conduit.core.engine.DevicePreference.AUTO
                : io.conduit.core.engine.DevicePreference.parse(asked.trim());
    }

    private static Set<String> requestedOutputs(Manifest manifest, InferRequest request) {
        Set<String> all = new HashSet<>(manifest.outputs().stream().map(TensorSpec::name).toList());
        if (request.outputs().isEmpty()) {
            return all;
        }
        Set<String> wanted = new HashSet<>();
        for (InferRequest.OutputRequest output : request.outputs()) {
            if (!all.contains(output.name())) {
                throw new io.conduit.core.protocol.ProtocolException("unknown output \"" + output.name() + "\" for "
                        + manifest.coordinate() + "; expected one of " + manifest.outputs().stream().map(TensorSpec::name).toList());
            }
            wanted.add(output.name());
        }
        return wanted;
    }

    private static java.util.function.Predicate<String> binaryOutputs(InferRequest request) {
        Map<String, Boolean> byName = new LinkedHashMap<>();
        request.outputs().forEach(o -> byName.put(o.name(), o.binary()));
        return output -> byName.getOrDefault(output, request.binaryOutputs());
    }

    private static InferenceResult await(java.util.concurrent.CompletableFuture<InferenceResult> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException conduit) {
                throw conduit;
            }
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, "inference failed: " + e.getCause(), e.getCause());
        }
    }

    /** Ready once every configured model has finished loading (a model that failed does not hold it up), until shutdown. */
    private boolean serverReady(Response response, Callback callback) {
        long loading = repository.slots().stream().filter(s -> s.state() == ModelState.LOADING).count();
        boolean ok = ready && loading == 0;
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
        o.addProperty("name", SERVER_NAME);
        o.addProperty("version", SERVER_VERSION);
        JsonArray extensions = new JsonArray();
        extensions.add("binary_tensor_data");
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
        o.addProperty("platform", "onnxruntime_onnx");
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
