package io.conduit.core.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The JSON header of a V2 message, read as a stream: every field is kept as Gson's tree except the
 * tensors' {@code data}, whose values go into a tensor of the declared datatype and shape as they are
 * parsed, so a {@code data} array longer than its shape is refused at the first value too many instead
 * of after the whole array sits in memory as JSON elements (some fifty times its size). JSON objects
 * are unordered; every V2 client writes {@code datatype} and {@code shape} before {@code data}, and a
 * tensor that gives its data first has the values kept as compact text until its shape is known.
 */
final class JsonHeader {
    /** Opens the sink for a tensor's data from the fields read so far, or null while its name, datatype or shape is missing. */
    @FunctionalInterface
    interface Sinks {
        TensorJson.ValueSink open(JsonObject fieldsSoFar, String kind);
    }

    private final JsonObject root = new JsonObject();
    private final Map<JsonObject, Data> data = new IdentityHashMap<>();

    private JsonHeader() {
    }

    /** Reads one JSON object from {@code in}; each tensor object's data goes through {@code sinks}. */
    static JsonHeader read(JsonReader in, Sinks sinks) throws IOException {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            throw new ProtocolException("the JSON header is " + TensorJson.abbreviate(JsonParser.parseReader(in))
                    + "; expected an object");
        }
        JsonHeader header = new JsonHeader();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            boolean tensors = name.equals("inputs") || name.equals("outputs");
            if (tensors && in.peek() == JsonToken.BEGIN_ARRAY) {
                header.root.add(name, header.tensors(in, name.equals("inputs") ? "input" : "output", sinks));
            } else {
                header.root.add(name, JsonParser.parseReader(in));
            }
        }
        in.endObject();
        return header;
    }

    /** The header's fields, the tensors' data left out. */
    JsonObject root() {
        return root;
    }

    /** The data of a tensor object of {@link #root()}, or null when it has none. */
    Data data(JsonObject tensor) {
        return data.get(tensor);
    }

    private JsonArray tensors(JsonReader in, String kind, Sinks sinks) throws IOException {
        JsonArray tensors = new JsonArray();
        in.beginArray();
        while (in.hasNext()) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                tensors.add(JsonParser.parseReader(in));
                continue;
            }
            JsonObject fields = new JsonObject();
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                if (name.equals("data")) {
                    data.put(fields, readData(in, sinks.open(fields, kind)));
                } else {
                    fields.add(name, JsonParser.parseReader(in));
                }
            }
            in.endObject();
            tensors.add(fields);
        }
        in.endArray();
        return tensors;
    }

    private static Data readData(JsonReader in, TensorJson.ValueSink sink) throws IOException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            JsonElement notArray = JsonParser.parseReader(in);
            if (sink != null) {
                throw sink.notArray(notArray);
            }
            return (type, shape, name) -> {
                throw TensorJson.sink(type, shape, name).notArray(notArray);
            };
        }
        if (sink != null) {
            values(in, sink::accept);
            Tensor tensor = sink.finish();
            return (type, shape, name) -> tensor;
        }
        Deferred deferred = new Deferred();
        values(in, deferred::add);
        return deferred;
    }

    /** The values of a (nested) array in row-major order. */
    private static void values(JsonReader in, ValueConsumer into) throws IOException {
        in.beginArray();
        while (in.hasNext()) {
            switch (in.peek()) {
                case BEGIN_ARRAY -> values(in, into);
                case NUMBER -> into.accept(TensorJson.Kind.NUMBER, in.nextString());
                case BOOLEAN -> into.accept(TensorJson.Kind.BOOLEAN, in.nextBoolean() ? "true" : "false");
                case STRING -> into.accept(TensorJson.Kind.STRING, in.nextString());
                default -> into.accept(TensorJson.Kind.OTHER, JsonParser.parseReader(in).toString());
            }
        }
        in.endArray();
    }

    @FunctionalInterface
    private interface ValueConsumer {
        void accept(TensorJson.Kind kind, String text);
    }

    /** A tensor's data, turned into a tensor once its datatype and shape are known. */
    @FunctionalInterface
    interface Data {
        Tensor tensor(DataType type, long[] shape, String name);
    }

    /** Values that came before their tensor's shape: their texts one after another, where each ends, and their kinds. */
    private static final class Deferred implements Data {
        private final StringBuilder texts = new StringBuilder();
        private byte[] kinds = new byte[64];
        private int[] ends = new int[64];
        private int size;

        void add(TensorJson.Kind kind, String text) {
            if (size == kinds.length) {
                kinds = Arrays.copyOf(kinds, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            texts.append(text);
            kinds[size] = (byte) kind.ordinal();
            ends[size++] = texts.length();
        }

        @Override
        public Tensor tensor(DataType type, long[] shape, String name) {
            TensorJson.ValueSink sink = TensorJson.sink(type, shape, name);
            if (size != sink.count()) {
                throw sink.wrongCount(size);
            }
            TensorJson.Kind[] all = TensorJson.Kind.values();
            for (int i = 0, start = 0; i < size; start = ends[i++]) {
                sink.accept(all[kinds[i]], texts.substring(start, ends[i]));
            }
            return sink.finish();
        }
    }
}
