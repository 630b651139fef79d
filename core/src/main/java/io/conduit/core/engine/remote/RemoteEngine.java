package io.conduit.core.engine.remote;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.PackageMismatchException;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.InputValidator;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Runs models on inference services over the KServe V2 protocol (binary tensors when the service
 * lists the extension, JSON otherwise). Endpoints are used round robin among the ready ones;
 * readiness is cached; an endpoint that keeps failing is skipped by a circuit breaker and probed
 * again later. Each call has one overall deadline. Inference has no side effects, so a call whose
 * connection fails (refused, reset, cut mid-answer) moves to another endpoint, and a 503 is retried
 * with full-jitter back-off; bad input, unknown models and model errors are never retried. The
 * version is named as the service routes it ({@link VersionRoutes}: Triton's integer versions,
 * checked against the manifest's sha256).
 */
public final class RemoteEngine implements InferenceEngine {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final RemoteEngineConfig config;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final OkHttpClient http;
    private final V2HttpClient client;
    private final VersionRoutes versions;
    private final Backoff backoff;
    private final AtomicInteger next = new AtomicInteger();

    public RemoteEngine(RemoteEngineConfig config) {
        this.config = config;
        for (var uri : config.endpoints()) {
            endpoints.add(new Endpoint(uri, new CircuitBreaker(config.breakerFailures(), config.breakerOpen().toNanos())));
        }
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false) // this engine decides what is safe to retry
                .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                .socketFactory(new LargeBufferSocketFactory())
                .build();
        this.client = new V2HttpClient(http, config.token());
        this.versions = new VersionRoutes(client, config.readinessTtl());
        this.backoff = new Backoff(config.retryBase().toNanos(), config.retryMax().toNanos());
    }

    public boolean configured() {
        return !endpoints.isEmpty();
    }

    @Override
    public RouteDecision plan(ModelPackage model, DevicePreference device) {
        Endpoint e = pick(null, java.util.Set.of(), System.nanoTime() + PROBE_TIMEOUT.toNanos());
        if (e == null) {
            throw unavailable(List.of());
        }
        return RouteDecision.remote(e.base(), "service " + e.base() + " is ready");
    }

    /** Each endpoint's state now, probing those whose readiness is stale; for {@code conduit doctor}. */
    public List<EndpointHealth> health() {
        List<EndpointHealth> result = new ArrayList<>();
        long now = System.nanoTime();
        for (Endpoint e : endpoints) {
            refresh(e, now, now + PROBE_TIMEOUT.toNanos());
            result.add(new EndpointHealth(e.base(), e.ready() && e.breaker.allows(now),
                    e.breaker.open(now) ? "skipped after repeated failures" : e.problem(), e.binary()));
        }
        return result;
    }

    @Override
    public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
        return run(model, inputs, receiveInto(Map.of(), new java.util.HashSet<>()));
    }

    /**
     * Runs the model receiving the named outputs straight into tensors the caller owns (e.g. reused
     * frame after frame by a batch job): no allocation for them. Each must have the output's
     * datatype and the exact shape the service returns; outputs not given are allocated as usual.
     */
    public InferenceResult runInto(ModelPackage model, Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            TensorSpec spec = model.manifest().output(e.getKey()).orElseThrow(() -> new ConduitException(
                    ErrorCode.INPUT_INVALID, "unknown output \"" + e.getKey() + "\" for " + model.manifest().coordinate()));
            if (spec.datatype() == io.conduit.core.tensor.DataType.BYTES) {
                throw new ConduitException(ErrorCode.INPUT_INVALID, "output \"" + e.getKey() + "\" is BYTES: strings are"
                        + " returned, not written into a buffer the caller gives; leave it out of the buffers");
            }
            if (e.getValue().type() != spec.datatype() || !Shapes.fits(spec.shape(), e.getValue().shape())) {
                throw new ConduitException(ErrorCode.INPUT_INVALID, "output buffer \"" + e.getKey() + "\" is "
                        + e.getValue() + "; expected " + spec.signature());
            }
        }
        java.util.Set<String> receivedInPlace = new java.util.HashSet<>();
        InferenceResult result = run(model, inputs, receiveInto(outputs, receivedInPlace));
        Map<String, Tensor> merged = new LinkedHashMap<>(result.outputs());
        outputs.forEach((name, caller) -> {
            Tensor received = result.output(name);
            if (!receivedInPlace.contains(name)) {
                if (!java.util.Arrays.equals(received.shape(), caller.shape())) {
                    throw new ConduitException(ErrorCode.INPUT_INVALID, "output buffer \"" + name + "\" is " + caller
                            + " but the service returned " + received);
                }
                caller.bytes().put(received.bytes()); // it came as JSON: copy it over
            }
            merged.put(name, caller);
        });
        return new InferenceResult(merged, result.route(), result.computeNanos(), result.totalNanos());
    }

    private InferenceResult run(ModelPackage model, Map<String, Tensor> inputs,
                                io.conduit.core.protocol.TensorAllocator outputAllocator) {
        long start = System.nanoTime();
        long deadline = start + config.deadline().toNanos();
        Manifest manifest = model.manifest();
        InputValidator.validate(manifest, inputs);
        List<NamedTensor> named = new ArrayList<>();
        for (TensorSpec spec : manifest.inputs()) {
            named.add(new NamedTensor(spec.name(), inputs.get(spec.name())));
        }
        List<String> failures = new ArrayList<>();
        Endpoint avoid = null;
        // Endpoints never asked again in this call: they hold a different package under this name@version,
        // or cannot carry these tensors (JSON only). Neither is an unavailable service, and neither is retried.
        java.util.Set<Endpoint> mismatched = new java.util.HashSet<>();
        java.util.Set<Endpoint> cannotCarry = new java.util.HashSet<>();
        java.util.Set<Endpoint> excluded = new java.util.HashSet<>();
        int retries = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw deadlineExceeded(failures);
            }
            Endpoint endpoint = pick(avoid, excluded, deadline);
            if (endpoint == null) {
                if (System.nanoTime() - deadline >= 0) {
                    throw deadlineExceeded(failures);
                }
                if (!mismatched.isEmpty()) {
                    throw new PackageMismatchException(String.join("; ", failures));
                }
                if (!cannotCarry.isEmpty()) {
                    throw new ConduitException(ErrorCode.PROTOCOL, "no service can carry this call: "
                            + String.join("; ", failures));
                }
                throw unavailable(failures);
            }
            boolean binary = config.binary() && binarySupported(endpoint, deadline);
            java.util.Optional<String> jsonRefusal = binary ? java.util.Optional.empty() : needsBinary(named, manifest);
            if (jsonRefusal.isPresent()) {
                failures.add(endpoint.base() + " cannot take " + jsonRefusal.get() + "; binary data, which it"
                        + (config.binary() ? " does not list (GET /v2)" : " was not offered (remote.binary is false)")
                        + ", is needed");
                cannotCarry.add(endpoint);
                excluded.add(endpoint);
                continue;
            }
            InferRequest request = new InferRequest("", named, List.of(), binary);
            long callStart = System.nanoTime();
            try {
                String version = versions.segment(endpoint, model, Duration.ofNanos(deadline - callStart));
                InferResponse response = client.infer(endpoint, manifest.name(), version, model.digest(), request,
                        binary, Duration.ofNanos(deadline - System.nanoTime()), outputAllocator);
                checkServedVersion(endpoint, manifest, version, response);
                endpoint.breaker.success();
                String answered = response.parameters().get(PackageDigest.PARAMETER);
                if (answered != null && !answered.equals(model.digest())) {
                    // A service that ignored the header: its answer comes from another package.
                    failures.add(PackageDigest.mismatch(manifest.coordinate(), "service " + endpoint.base(),
                            answered, model.digest()).getMessage());
                    mismatched.add(endpoint);
                    excluded.add(endpoint);
                    continue;
                }
                long end = System.nanoTime();
                RouteDecision route = RouteDecision.remote(endpoint.base(), reason(endpoint, response, failures)
                        + (answered == null ? "; the service did not confirm the package digest" : ""));
                return new InferenceResult(outputs(manifest, response, endpoint),
                        answered == null ? route : route.withPackageConfirmed(), end - callStart, end - start);
            } catch (RemoteStatusException status) {
                String failure = endpoint.base() + " answered " + status.status + ": " + status.getMessage();
                switch (status.status) {
                    case 409 -> {
                        failures.add(endpoint.base() + ": " + status.getMessage());
                        mismatched.add(endpoint);
                        excluded.add(endpoint);
                    }
                    // Over JSON, the answer could not travel as JSON (NaN or infinities in an output): a transport limit.
                    // Over binary, the service read the request otherwise than this client wrote it.
                    case 400 -> throw status.code == ErrorCode.PROTOCOL
                            ? new ConduitException(ErrorCode.PROTOCOL, binary
                                    ? endpoint.base() + " refused the request's V2 encoding: " + status.getMessage()
                                    : endpoint.base() + " could not send the answer as JSON: " + status.getMessage()
                                    + " (binary data is needed: remote.binary)")
                            : new ConduitException(ErrorCode.INPUT_INVALID, "the service refused the request: "
                                    + status.getMessage());
                    case 401, 403 -> throw new ConduitException(ErrorCode.UNAUTHORIZED, failure
                            + " (check remote.token)");
                    case 404 -> {
                        versions.forget(endpoint, manifest); // its repository may have changed: ask again next call
                        throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, failure);
                    }
                    case 413 -> throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, failure);
                    case 429, 502, 503, 504 -> {
                        // Busy, or a gateway in front of it failed: nothing ran; wait and try again. A busy
                        // service is alive, so only gateway failures count against its breaker.
                        failures.add(failure);
                        if (status.status == 502 || status.status == 504) {
                            endpoint.breaker.failure(System.nanoTime());
                        }
                        sleep(backoff.delayNanos(retries++), deadline);
                    }
                    default -> throw new ConduitException(ErrorCode.INFERENCE_FAILED, failure);
                }
            } catch (InterruptedIOException timeout) {
                failures.add(endpoint.base() + " did not answer in time");
                if (System.nanoTime() - deadline >= 0) {
                    throw deadlineExceeded(failures);
                }
                endpointFailed(endpoint, timeout);
                avoid = endpoint;
            } catch (IOException broken) {
                failures.add(endpoint.base() + ": " + describe(broken));
                endpointFailed(endpoint, broken);
                avoid = endpoint;
                sleep(backoff.delayNanos(retries++), deadline);
            }
        }
    }

    /**
     * A service names the version it ran in its answer: Triton the number it was asked for,
     * {@code conduit serve} the semantic version. Anything else ran something this call did not ask for.
     */
    private static void checkServedVersion(Endpoint endpoint, Manifest manifest, String asked, InferResponse response) {
        String served = response.modelVersion();
        if (served != null && !served.isEmpty() && !served.equals(asked) && !served.equals(manifest.version().toString())) {
            throw new ConduitException(ErrorCode.INFERENCE_FAILED, endpoint.base() + " was asked for " + manifest.coordinate()
                    + " (version " + asked + ") but answered from version " + served + "; its outputs were discarded");
        }
    }

    /**
     * Counts a failed call against the endpoint's breaker. Its readiness is left alone: one dropped
     * connection says little, and marking a sole endpoint not-ready would fail every call for the
     * readiness period; the breaker takes it out after repeated failures instead.
     */
    private void endpointFailed(Endpoint endpoint, IOException cause) {
        endpoint.breaker.failure(System.nanoTime());
    }

    /**
     * Received outputs go into the caller's tensor when one of the right size was given, else into a
     * heap buffer: the JVM heap is already mapped, while a fresh direct buffer is zeroed and
     * page-faulted in on every call (measured in bench/).
     */
    private static io.conduit.core.protocol.TensorAllocator receiveInto(Map<String, Tensor> callerOutputs,
                                                                        java.util.Set<String> receivedInPlace) {
        return (name, size) -> {
            Tensor caller = callerOutputs.get(name);
            if (caller != null && caller.bytes().remaining() == size) {
                receivedInPlace.add(name);
                return caller.bytes();
            }
            return java.nio.ByteBuffer.allocate(size);
        };
    }

    /** Why this call cannot go as JSON, found before sending: inputs JSON cannot spell, outputs it cannot return. */
    private static java.util.Optional<String> needsBinary(List<NamedTensor> inputs, Manifest manifest) {
        java.util.Optional<String> input = inputs.stream().map(t -> io.conduit.core.protocol.V2Codec.jsonRefusal(t.tensor())
                .map(why -> "input \"" + t.name() + "\" (" + why + ")")).flatMap(java.util.Optional::stream).findFirst();
        return input.or(() -> manifest.outputs().stream().filter(o -> !io.conduit.core.protocol.V2Codec.hasJsonForm(o.datatype()))
                .findFirst().map(o -> "output \"" + o.name() + "\" (" + o.datatype() + " tensors: they travel only as binary data)"));
    }

    /**
     * The next ready endpoint after the last one used, preferring one other than {@code avoid};
     * readiness probes share the call's deadline.
     */
    private Endpoint pick(Endpoint avoid, java.util.Set<Endpoint> excluded, long deadline) {
        Endpoint fallback = null;
        int n = endpoints.size();
        int first = Math.floorMod(next.getAndIncrement(), Math.max(n, 1));
        for (int i = 0; i < n; i++) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return fallback;
            }
            Endpoint e = endpoints.get((first + i) % n);
            if (excluded.contains(e) || !e.breaker.allows(now)) {
                continue;
            }
            refresh(e, now, deadline);
            if (!e.ready()) {
                continue;
            }
            if (e != avoid) {
                return e;
            }
            fallback = e;
        }
        return fallback;
    }

    private void refresh(Endpoint e, long now, long deadline) {
        if (e.readinessFresh(now, config.readinessTtl().toNanos())) {
            return;
        }
        try {
            boolean ready = client.ready(e, probeTimeout(deadline));
            e.readiness(ready, ready ? "" : "GET /v2/health/ready did not answer 200", System.nanoTime());
        } catch (IOException failure) {
            e.readiness(false, describe(failure), System.nanoTime());
            e.breaker.failure(System.nanoTime());
        }
    }

    private boolean binarySupported(Endpoint e, long deadline) {
        Boolean known = e.binary();
        if (known != null) {
            return known;
        }
        try {
            boolean supported = client.supportsBinary(e, probeTimeout(deadline));
            e.binary(supported);
            return supported;
        } catch (IOException | RemoteStatusException unknown) {
            return false; // JSON is the protocol's baseline; try again next call
        }
    }

    private static Duration probeTimeout(long deadline) {
        long left = deadline - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000, Math.min(PROBE_TIMEOUT.toNanos(), left)));
    }

    private static Map<String, Tensor> outputs(Manifest manifest, InferResponse response, Endpoint endpoint) {
        Map<String, Tensor> received = response.outputMap();
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (TensorSpec spec : manifest.outputs()) {
            Tensor t = received.get(spec.name());
            if (t == null || t.type() != spec.datatype() || !Shapes.fits(spec.shape(), t.shape())) {
                throw new ConduitException(ErrorCode.INFERENCE_FAILED, endpoint.base() + " returned "
                        + (t == null ? "no output " + spec.name() : "output " + spec.name() + " as " + t)
                        + "; " + manifest.coordinate() + " declares " + spec.signature());
            }
            outputs.put(spec.name(), t);
        }
        return outputs;
    }

    private static String reason(Endpoint endpoint, InferResponse response, List<String> failures) {
        String route = response.parameters().get("conduit_route");
        String theirs = route == null ? "" : " (the service ran it on " + route
                + (response.parameters().containsKey("conduit_reason") ? ": " + response.parameters().get("conduit_reason") : "")
                + ")";
        return "service " + endpoint.base() + theirs + (failures.isEmpty() ? "" : ", after " + String.join("; ", failures));
    }

    private ConduitException unavailable(List<String> failures) {
        List<String> states = new ArrayList<>(failures);
        long now = System.nanoTime();
        for (Endpoint e : endpoints) {
            if (e.breaker.open(now)) {
                states.add(e.base() + " skipped after repeated failures");
            } else if (!e.ready()) {
                states.add(e.base() + (e.problem().isEmpty() ? " not ready" : ": " + e.problem()));
            }
        }
        return new ConduitException(ErrorCode.REMOTE_UNAVAILABLE, endpoints.isEmpty()
                ? "no remote service is configured (remote.endpoints)"
                : "no remote service is available: " + String.join("; ", states));
    }

    private ConduitException deadlineExceeded(List<String> failures) {
        return new ConduitException(ErrorCode.DEADLINE_EXCEEDED, "no answer within the " + config.deadline().toMillis()
                + " ms deadline (remote.deadlineMs)" + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
    }

    private static void sleep(long nanos, long deadline) {
        long wait = Math.min(nanos, deadline - System.nanoTime());
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConduitException(ErrorCode.REMOTE_UNAVAILABLE, "interrupted while backing off");
            }
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** One endpoint's state, as {@code conduit doctor} prints it. */
    public record EndpointHealth(String endpoint, boolean ready, String problem, Boolean binary) {
    }
}
