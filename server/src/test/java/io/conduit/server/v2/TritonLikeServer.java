package io.conduit.server.v2;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import inference.ModelConfigOuterClass.ModelConfig;
import inference.ModelConfigOuterClass.ModelInput;
import inference.ModelConfigOuterClass.ModelOutput;
import io.conduit.core.onnx.OrtTypes;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.triton.TritonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A loopback server that loads a Triton model repository and routes requests exactly as Triton's
 * HTTP front does ({@code src/http_server.cc} of triton-inference-server/server at
 * e1db8a603d863b1317ee859bdeea2be19959462e): its model regex admits only integer versions, so any
 * other path is 404 {@code Not Found}; versions are numbered folders without a leading zero,
 * filtered by the config's {@code version_policy} (the newest one when none is given); every
 * {@code config.pbtxt} is parsed with Triton's own {@code ModelConfig} schema and refused, as the
 * ONNX Runtime backend refuses it, when a declared tensor's name, type or rank does not match the
 * ONNX file. Inference runs the numbered folder's {@code model.onnx} in ONNX Runtime and answers
 * with that number as {@code model_version}. It records every path asked for.
 */
final class TritonLikeServer implements AutoCloseable {
    private static final Pattern MODEL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([0-9]+))?(?:/(infer|generate|generate_stream|ready|config|stats|trace/setting))?");
    private static final Pattern VERSION_FOLDER = Pattern.compile("[1-9][0-9]*");

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<String, Model> models = new TreeMap<>();
    private final HttpServer http;
    final List<String> requests = new CopyOnWriteArrayList<>();

    private record Model(ModelConfig config, NavigableMap<Long, OrtSession> versions) {
    }

    TritonLikeServer(Path repository) throws Exception {
        try (Stream<Path> dirs = Files.list(repository)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                load(dir);
            }
        }
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private void load(Path dir) throws Exception {
        ModelConfig config = TritonSchema.parsePbtxt(Files.readString(dir.resolve("config.pbtxt")));
        if (!config.getName().equals(dir.getFileName().toString())) {
            throw new IllegalStateException("config name " + config.getName() + " differs from its folder " + dir);
        }
        if (!config.getPlatform().equals("onnxruntime_onnx")) {
            throw new IllegalStateException("unexpected platform " + config.getPlatform());
        }
        List<Long> numbers;
        try (Stream<Path> children = Files.list(dir)) {
            numbers = children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> VERSION_FOLDER.matcher(n).matches()).map(Long::parseLong).sorted().toList();
        }
        List<Long> served = new ArrayList<>();
        var policy = config.getVersionPolicy();
        if (policy.hasAll()) {
            served.addAll(numbers);
        } else if (policy.hasSpecific()) {
            served.addAll(numbers.stream().filter(policy.getSpecific().getVersionsList()::contains).toList());
        } else {
            int n = policy.hasLatest() ? policy.getLatest().getNumVersions() : 1;
            served.addAll(numbers.subList(Math.max(0, numbers.size() - n), numbers.size()));
        }
        NavigableMap<Long, OrtSession> sessions = new TreeMap<>();
        for (long v : served) {
            OrtSession session = env.createSession(dir.resolve(Long.toString(v)).resolve("model.onnx").toString());
            check(config, session);
            sessions.put(v, session);
        }
        models.put(config.getName(), new Model(config, sessions));
    }

    /** The ONNX Runtime backend's check of a config against the model it loads. */
    private static void check(ModelConfig config, OrtSession session) throws Exception {
        int batchDims = config.getMaxBatchSize() > 0 ? 1 : 0;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (ModelInput in : config.getInputList()) {
            check(in.getName(), in.getDataType().name(), in.hasReshape() ? in.getReshape().getShapeList() : in.getDimsList(),
                    inputs, batchDims);
        }
        for (ModelOutput out : config.getOutputList()) {
            check(out.getName(), out.getDataType().name(), out.hasReshape() ? out.getReshape().getShapeList()
                    : out.getDimsList(), outputs, batchDims);
        }
    }

    private static void check(String name, String type, List<Long> dims, Map<String, NodeInfo> declared, int batchDims) {
        NodeInfo info = declared.get(name);
        if (info == null) {
            throw new IllegalStateException("unexpected inference input/output '" + name + "', allowed: " + declared.keySet());
        }
        TensorInfo t = (TensorInfo) info.getInfo();
        DataType onnx = OrtTypes.fromOnnx(t.onnxType).orElseThrow();
        if (!type.equals("TYPE_" + onnx.name())) {
            throw new IllegalStateException(name + ": config says " + type + ", model has " + onnx);
        }
        long[] shape = t.getShape();
        if (shape.length != dims.size() + batchDims || (batchDims == 1 && shape[0] != -1)) {
            throw new IllegalStateException(name + ": config dims " + dims + " (batching " + batchDims + ") do not fit the"
                    + " model's " + java.util.Arrays.toString(shape));
        }
        for (int i = 0; i < dims.size(); i++) {
            long model = shape[i + batchDims];
            if (model != -1 && dims.get(i) != -1 && model != dims.get(i)) {
                throw new IllegalStateException(name + ": dim " + i + " is " + dims.get(i) + " in the config, " + model
                        + " in the model");
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        try {
            Matcher m = MODEL.matcher(path);
            if (m.matches()) {
                model(exchange, m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3) == null ? "" : m.group(3));
            } else if (path.equals("/v2")) {
                JsonObject meta = new JsonObject();
                meta.addProperty("name", "triton");
                JsonArray extensions = new JsonArray();
                List.of("classification", "model_repository", "schedule_policy", "model_configuration",
                        "system_shared_memory", "binary_tensor_data", "parameters", "statistics").forEach(extensions::add);
                meta.add("extensions", extensions);
                json(exchange, 200, meta.toString());
            } else if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                error(exchange, 404, "Not Found");
            }
        } catch (Exception e) {
            error(exchange, 400, String.valueOf(e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private void model(HttpExchange exchange, String name, String version, String kind) throws Exception {
        Model model = models.get(name);
        if (model == null || model.versions().isEmpty()) {
            error(exchange, 404, "Request for unknown model: '" + name + "' is not found");
            return;
        }
        long number = version.isEmpty() ? model.versions().lastKey() : Long.parseLong(version);
        OrtSession session = model.versions().get(number);
        if (session == null) {
            error(exchange, 404, "Request for unknown model: '" + name + "' version " + version + " is not found");
            return;
        }
        switch (kind) {
            case "config" -> json(exchange, 200, TritonSchema.toJson(model.config()));
            case "ready" -> exchange.sendResponseHeaders(200, -1);
            case "infer" -> infer(exchange, name, number, session);
            default -> error(exchange, 400, "not served by this test server: " + kind);
        }
    }

    private void infer(HttpExchange exchange, String name, long number, OrtSession session) throws Exception {
        if (!exchange.getRequestMethod().equals("POST")) {
            error(exchange, 405, "Method Not Allowed");
            return;
        }
        String headerLength = exchange.getRequestHeaders().getFirst(V2Body.HEADER_LENGTH);
        InferRequest request;
        try (InputStream body = exchange.getRequestBody()) {
            request = V2Codec.decodeRequest(body, headerLength == null ? null : Long.parseLong(headerLength));
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        List<NamedTensor> outputs = new ArrayList<>();
        try {
            for (NamedTensor t : request.inputs()) {
                ByteBuffer direct = ByteBuffer.allocateDirect(t.tensor().bytes().remaining()).order(ByteOrder.nativeOrder());
                direct.put(t.tensor().bytes().duplicate()).flip();
                feeds.put(t.name(), OnnxTensor.createTensor(env, direct, t.tensor().shape(),
                        OrtTypes.toJavaType(t.tensor().type())));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                for (var entry : result) {
                    OnnxTensor out = (OnnxTensor) entry.getValue();
                    TensorInfo info = out.getInfo();
                    ByteBuffer bytes = out.getByteBuffer();
                    ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.nativeOrder());
                    copy.put(bytes).flip();
                    outputs.add(new NamedTensor(entry.getKey(), Tensor.wrap(OrtTypes.fromOnnx(info.onnxType).orElseThrow(),
                            info.getShape(), copy)));
                }
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
        Map<String, Boolean> byName = new LinkedHashMap<>();
        request.outputs().forEach(o -> byName.put(o.name(), o.binary()));
        V2Body body = V2Codec.encodeResponse(new InferResponse(name, Long.toString(number), request.id(), outputs, Map.of()),
                o -> byName.getOrDefault(o, request.binaryOutputs()));
        exchange.getResponseHeaders().set("Content-Type", body.contentType());
        if (body.binary()) {
            exchange.getResponseHeaders().set(V2Body.HEADER_LENGTH, String.valueOf(body.header().length));
        }
        exchange.sendResponseHeaders(200, body.contentLength());
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body.header());
            for (ByteBuffer section : body.sections()) {
                ByteBuffer view = section.duplicate();
                byte[] chunk = new byte[view.remaining()];
                view.get(chunk);
                out.write(chunk);
            }
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(exchange, status, o.toString());
    }

    @Override
    public void close() throws Exception {
        http.stop(0);
        for (Model m : models.values()) {
            for (OrtSession s : m.versions().values()) {
                s.close();
            }
        }
    }
}
