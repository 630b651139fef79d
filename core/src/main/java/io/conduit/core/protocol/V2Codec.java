package io.conduit.core.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Encodes and decodes KServe V2 / Open Inference Protocol inference messages, in JSON and with
 * Triton's binary tensor data extension: a JSON header whose length the
 * {@code Inference-Header-Content-Length} HTTP header gives, followed by the raw little-endian
 * row-major bytes of every tensor whose {@code parameters.binary_data_size} is set, in order (for BYTES,
 * each string as a 4-byte little-endian length and its UTF-8 bytes; in JSON, JSON strings).
 * Both Conduit's client and its server use this one codec, and it uses nothing beyond the spec and
 * that extension, so either side can talk to Triton or KServe instead.
 *
 * @see <a href="https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/">V2 protocol</a>
 * @see <a href="https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md">binary data extension</a>
 */
public final class V2Codec {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("the V2 binary extension is little-endian; this platform is not");
        }
    }

    private V2Codec() {
    }

    /**
     * Why this tensor cannot travel as JSON, or empty when it can: FP16 and BF16 have no JSON form in
     * the protocol, and JSON numbers cannot spell NaN or the infinities.
     */
    public static java.util.Optional<String> jsonRefusal(Tensor tensor) {
        if (!TensorJson.hasJsonForm(tensor.type())) {
            return java.util.Optional.of(tensor.type() + " tensors: they travel only as binary data");
        }
        if (tensor.type() == DataType.FP32 || tensor.type() == DataType.FP64) {
            ByteBuffer b = tensor.bytes();
            for (long i = 0, n = tensor.elementCount(); i < n; i++) {
                double v = tensor.type() == DataType.FP32 ? b.getFloat((int) i * 4) : b.getDouble((int) i * 8);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    return java.util.Optional.of("a tensor holding " + v + ", which JSON cannot carry");
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether the protocol has a JSON form for this datatype (FP16 and BF16 travel only as binary). */
    public static boolean hasJsonForm(DataType type) {
        return TensorJson.hasJsonForm(type);
    }

    /** A request with every input in binary ({@code binaryInputs}) or JSON. */
    public static V2Body encodeRequest(InferRequest request, boolean binaryInputs) {
        List<ByteBuffer> sections = new ArrayList<>();
        byte[] header = json(w -> {
            w.beginObject();
            if (!request.id().isEmpty()) {
                w.name("id").value(request.id());
            }
            if (request.binaryOutputs()) {
                w.name("parameters").beginObject().name("binary_data_output").value(true).endObject();
            }
            w.name("inputs").beginArray();
            for (NamedTensor input : request.inputs()) {
                writeTensor(w, input, binaryInputs, sections);
            }
            w.endArray();
            if (!request.outputs().isEmpty()) {
                w.name("outputs").beginArray();
                for (InferRequest.OutputRequest output : request.outputs()) {
                    w.beginObject().name("name").value(output.name());
                    w.name("parameters").beginObject().name("binary_data").value(output.binary()).endObject();
                    w.endObject();
                }
                w.endArray();
            }
            w.endObject();
        });
        return new V2Body(header, sections, !sections.isEmpty());
    }

    /** A response with each output in binary when {@code binary} says so for its name. */
    public static V2Body encodeResponse(InferResponse response, Predicate<String> binary) {
        List<ByteBuffer> sections = new ArrayList<>();
        byte[] header = json(w -> {
            w.beginObject();
            w.name("model_name").value(response.modelName());
            w.name("model_version").value(response.modelVersion());
            if (!response.id().isEmpty()) {
                w.name("id").value(response.id());
            }
            if (!response.parameters().isEmpty()) {
                w.name("parameters").beginObject();
                for (Map.Entry<String, String> p : response.parameters().entrySet()) {
                    w.name(p.getKey()).value(p.getValue());
                }
                w.endObject();
            }
            w.name("outputs").beginArray();
            for (NamedTensor output : response.outputs()) {
                writeTensor(w, output, binary.test(output.name()), sections);
            }
            w.endArray();
            w.endObject();
        });
        return new V2Body(header, sections, !sections.isEmpty());
    }

    /**
     * Reads a request body. {@code headerLength} is the {@code Inference-Header-Content-Length}
     * value, or null when the request is pure JSON. A body stream that is also a
     * {@link java.nio.channels.ReadableByteChannel} has its binary tensors read straight into their buffers.
     */
    public static InferRequest decodeRequest(InputStream body, Long headerLength) {
        return decodeRequest(body, headerLength, Long.MAX_VALUE);
    }

    /**
     * As above, refusing before any allocation binary sizes that add up to more than
     * {@code bodyBytes} (the Content-Length, or the server's limit): a small request must not be able
     * to make the server reserve gigabytes it will never receive.
     */
    public static InferRequest decodeRequest(InputStream body, Long headerLength, long bodyBytes) {
        return decodeRequest(body, headerLength, bodyBytes, TensorAllocator.of(ByteBuffer::allocateDirect));
    }

    /** As above, taking the binary tensors' buffers from {@code allocator} (a server's buffer pool). */
    public static InferRequest decodeRequest(InputStream body, Long headerLength, long bodyBytes,
                                             TensorAllocator allocator) {
        BinaryReader binary = new BinaryReader(body, headerLength, bodyBytes, allocator);
        JsonObject root = binary.header();
        String id = optionalString(root, "id", "request");
        boolean binaryOutputs = parameters(root, "request").map(p -> bool(p, "binary_data_output", "request"))
                .orElse(false);
        List<NamedTensor> inputs = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonObject input : objects(root, "inputs", true)) {
            NamedTensor tensor = readTensor(input, binary, "input");
            if (!names.add(tensor.name())) {
                throw new ProtocolException("input \"" + tensor.name() + "\" is given twice; each input is sent once");
            }
            inputs.add(tensor);
        }
        List<InferRequest.OutputRequest> outputs = new ArrayList<>();
        for (JsonObject output : objects(root, "outputs", false)) {
            String name = requiredString(output, "name", "output");
            // Per the binary extension, binary_data_output applies unless this output sets binary_data itself.
            boolean asBinary = parameters(output, "output \"" + name + "\"").filter(p -> p.has("binary_data"))
                    .map(p -> bool(p, "binary_data", "output \"" + name + "\"")).orElse(binaryOutputs);
            outputs.add(new InferRequest.OutputRequest(name, asBinary));
        }
        binary.requireFullyConsumed();
        return new InferRequest(id, inputs, outputs, binaryOutputs);
    }

    /** Reads a response body; {@code headerLength} as for {@link #decodeRequest}. */
    public static InferResponse decodeResponse(InputStream body, Long headerLength) {
        return decodeResponse(body, headerLength, TensorAllocator.of(ByteBuffer::allocateDirect));
    }

    /** As above, taking the binary tensors' buffers from {@code allocator}. */
    public static InferResponse decodeResponse(InputStream body, Long headerLength, TensorAllocator allocator) {
        BinaryReader binary = new BinaryReader(body, headerLength, Long.MAX_VALUE, allocator);
        JsonObject root = binary.header();
        List<NamedTensor> outputs = new ArrayList<>();
        for (JsonObject output : objects(root, "outputs", true)) {
            outputs.add(readTensor(output, binary, "output"));
        }
        binary.requireFullyConsumed();
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters(root, "response").ifPresent(p -> p.entrySet().forEach(e ->
                parameters.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString())));
        return new InferResponse(optionalString(root, "model_name", "response"), optionalString(root, "model_version", "response"),
                optionalString(root, "id", "response"), outputs, parameters);
    }

    private static void writeTensor(JsonWriter w, NamedTensor named, boolean binary, List<ByteBuffer> sections)
            throws IOException {
        Tensor t = named.tensor();
        w.beginObject();
        w.name("name").value(named.name());
        w.name("datatype").value(t.type().name());
        w.name("shape").beginArray();
        for (long axis : t.shape()) {
            w.value(axis);
        }
        w.endArray();
        if (binary) {
            ByteBuffer bytes = t.type() == DataType.BYTES ? BinaryStrings.encode(t) : t.bytes();
            w.name("parameters").beginObject().name("binary_data_size").value(bytes.remaining()).endObject();
            sections.add(bytes);
        } else {
            w.name("data");
            TensorJson.write(w, t);
        }
        w.endObject();
    }

    private static NamedTensor readTensor(JsonObject json, BinaryReader binary, String kind) {
        String name = requiredString(json, "name", kind);
        String what = kind + " \"" + name + "\"";
        String typeName = requiredString(json, "datatype", what);
        DataType type = DataType.fromName(typeName).orElseThrow(() -> new ProtocolException(what + ": datatype \""
                + typeName + "\" is not supported; expected one of " + DataType.supportedNames()));
        long[] shape = shape(json, what);
        long count;
        try {
            count = Shapes.elementCount(shape);
        } catch (ArithmeticException overflow) {
            throw new ProtocolException(what + ": shape " + Shapes.format(shape) + " is too large");
        }
        var params = parameters(json, what);
        if (params.isPresent() && params.get().has("binary_data_size")) {
            long size = integer(params.get().get("binary_data_size"), what + " parameters.binary_data_size");
            if (json.has("data")) {
                throw new ProtocolException(what + " has both data and binary_data_size; expected one of them");
            }
            if (type == DataType.BYTES) {
                if (size < 4 * count) {
                    throw new ProtocolException(what + ": binary_data_size is " + size + " bytes but " + count
                            + " strings need at least " + 4 * count + " (a 4-byte length each)");
                }
                ByteBuffer raw = binary.read(name, size, what, TensorAllocator.of(ByteBuffer::allocate));
                return new NamedTensor(name, Tensor.ofStrings(shape, BinaryStrings.decode(raw, count, what)));
            }
            long expected;
            try {
                expected = Math.multiplyExact(count, type.byteSize());
            } catch (ArithmeticException overflow) {
                throw new ProtocolException(what + ": shape " + Shapes.format(shape) + " is too large");
            }
            if (size != expected) {
                throw new ProtocolException(what + ": binary_data_size is " + size + " bytes but " + type
                        + Shapes.format(shape) + " needs " + expected);
            }
            return new NamedTensor(name, Tensor.wrap(type, shape, binary.read(name, size, what, binary.allocator)));
        }
        if (!json.has("data")) {
            throw new ProtocolException(what + " has neither data nor parameters.binary_data_size");
        }
        return new NamedTensor(name, TensorJson.read(json.get("data"), type, shape, name));
    }

    /**
     * The shape, each size 0 or more: a zero-size axis is a valid, empty tensor (no boxes found, no axes to
     * reduce over), which the local engine runs too; the server never joins such a request into a batch.
     */
    private static long[] shape(JsonObject json, String what) {
        JsonElement element = json.get("shape");
        if (element == null || !element.isJsonArray()) {
            throw new ProtocolException(what + ": shape is " + (element == null ? "missing" : TensorJson.abbreviate(element))
                    + "; expected an array of sizes");
        }
        JsonArray array = element.getAsJsonArray();
        long[] shape = new long[array.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = integer(array.get(i), what + " shape[" + i + "]");
            if (shape[i] < 0) {
                throw new ProtocolException(what + ": shape[" + i + "] is " + shape[i] + "; expected a size of 0 or more");
            }
        }
        return shape;
    }

    private static List<JsonObject> objects(JsonObject root, String field, boolean required) {
        JsonElement element = root.get(field);
        if (element == null || element.isJsonNull()) {
            if (required) {
                throw new ProtocolException("the message has no \"" + field + "\"; expected an array of tensors");
            }
            return List.of();
        }
        if (!element.isJsonArray()) {
            throw new ProtocolException("\"" + field + "\" is " + TensorJson.abbreviate(element) + "; expected an array");
        }
        List<JsonObject> objects = new ArrayList<>();
        for (int i = 0; i < element.getAsJsonArray().size(); i++) {
            JsonElement e = element.getAsJsonArray().get(i);
            if (!e.isJsonObject()) {
                throw new ProtocolException(field + "[" + i + "] is " + TensorJson.abbreviate(e) + "; expected an object");
            }
            objects.add(e.getAsJsonObject());
        }
        return objects;
    }

    private static java.util.Optional<JsonObject> parameters(JsonObject json, String what) {
        JsonElement p = json.get("parameters");
        if (p == null || p.isJsonNull()) {
            return java.util.Optional.empty();
        }
        if (!p.isJsonObject()) {
            throw new ProtocolException(what + ": parameters is " + TensorJson.abbreviate(p) + "; expected an object");
        }
        return java.util.Optional.of(p.getAsJsonObject());
    }

    private static String requiredString(JsonObject json, String field, String what) {
        JsonElement e = json.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ProtocolException(what + ": \"" + field + "\" is " + (e == null ? "missing" : TensorJson.abbreviate(e))
                    + "; expected a string");
        }
        return e.getAsString();
    }

    private static String optionalString(JsonObject json, String field, String what) {
        return json.has(field) && !json.get(field).isJsonNull() ? requiredString(json, field, what) : "";
    }

    private static boolean bool(JsonObject json, String field, String what) {
        JsonElement e = json.get(field);
        if (e == null) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ProtocolException(what + ": " + field + " is " + TensorJson.abbreviate(e) + "; expected true or false");
        }
        return e.getAsBoolean();
    }

    private static long integer(JsonElement e, String what) {
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsBigDecimal().longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException notWhole) {
            // reported below (NumberFormatException: an exponent beyond what BigDecimal holds, e.g. 1e999999999)
        }
        throw new ProtocolException(what + " is " + TensorJson.abbreviate(e) + "; expected a whole number");
    }

    private static byte[] json(JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = new JsonWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    private interface JsonBody {
        void write(JsonWriter writer) throws IOException;
    }

    /** The body as a JSON header and the binary sections after it. */
    private static final class BinaryReader {
        private final InputStream in;
        private final Long headerLength;
        private final long bodyBytes;
        private final TensorAllocator allocator;
        private long binaryRead;

        BinaryReader(InputStream in, Long headerLength, long bodyBytes,
                     TensorAllocator allocator) {
            this.in = in;
            this.headerLength = headerLength;
            this.bodyBytes = bodyBytes;
            this.allocator = allocator;
        }

        JsonObject header() {
            byte[] bytes;
            try {
                if (headerLength == null) {
                    bytes = in.readAllBytes();
                } else {
                    if (headerLength < 0 || headerLength > Integer.MAX_VALUE) {
                        throw new ProtocolException(V2Body.HEADER_LENGTH + " is " + headerLength + "; expected the byte"
                                + " length of the JSON header");
                    }
                    bytes = in.readNBytes(headerLength.intValue());
                    if (bytes.length < headerLength) {
                        throw new ProtocolException(V2Body.HEADER_LENGTH + " is " + headerLength + " but the body has only "
                                + bytes.length + " bytes");
                    }
                }
            } catch (IOException e) {
                throw new ProtocolException("the body could not be read: " + e.getMessage(), e);
            }
            try {
                JsonElement root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
                if (!root.isJsonObject()) {
                    throw new ProtocolException("the JSON header is " + TensorJson.abbreviate(root) + "; expected an object");
                }
                return root.getAsJsonObject();
            } catch (JsonParseException e) {
                throw new ProtocolException("the JSON header is not valid JSON: " + e.getMessage()
                        + (headerLength == null ? " (binary data needs the " + V2Body.HEADER_LENGTH + " header)" : ""), e);
            }
        }

        ByteBuffer read(String name, long size, String what, TensorAllocator into) {
            if (headerLength == null) {
                throw new ProtocolException(what + " declares binary_data_size but the request has no "
                        + V2Body.HEADER_LENGTH + " header");
            }
            if (size > Integer.MAX_VALUE) {
                throw new ProtocolException(what + ": binary_data_size " + size + " exceeds 2 GiB, the most one tensor holds");
            }
            if (headerLength + binaryRead + size > bodyBytes) {
                throw new ProtocolException(what + ": binary_data_size " + size + " would end the body at byte "
                        + (headerLength + binaryRead + size) + ", past its " + bodyBytes + " bytes");
            }
            ByteBuffer buffer = into.allocate(name, (int) size).order(ByteOrder.LITTLE_ENDIAN);
            try {
                if (in instanceof java.nio.channels.ReadableByteChannel channel) {
                    // Straight from the HTTP stack's buffers into the tensor: one copy, no byte[] in between.
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer) < 0) {
                            throw truncated(what, buffer);
                        }
                    }
                } else {
                    byte[] chunk = new byte[(int) Math.min(size, 1 << 16)];
                    while (buffer.hasRemaining()) {
                        int n = in.read(chunk, 0, Math.min(chunk.length, buffer.remaining()));
                        if (n < 0) {
                            throw truncated(what, buffer);
                        }
                        buffer.put(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new ProtocolException("the body could not be read: " + e.getMessage(), e);
            }
            binaryRead += size;
            return buffer.flip();
        }

        private ProtocolException truncated(String what, ByteBuffer buffer) {
            return new ProtocolException(what + ": the body ends after " + (binaryRead + buffer.position())
                    + " bytes of binary data; the binary_data_size values add up to more");
        }

        void requireFullyConsumed() {
            try {
                long extra = 0;
                byte[] skip = new byte[8192];
                for (int n; (n = in.read(skip)) > 0; ) {
                    extra += n;
                }
                if (extra > 0) {
                    throw new ProtocolException("the body has " + extra + " bytes after the " + binaryRead
                            + " bytes of binary data its binary_data_size values declare");
                }
            } catch (IOException e) {
                throw new ProtocolException("the body could not be read: " + e.getMessage(), e);
            }
        }
    }
}
