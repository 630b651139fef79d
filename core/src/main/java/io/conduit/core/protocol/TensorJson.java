package io.conduit.core.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * Tensor data as the V2 protocol writes it in JSON: one flat row-major array ({@code true}/{@code false}
 * for BOOL, numbers otherwise). Nested arrays are accepted on input and flattened. FP16 has no JSON
 * form in the protocol and travels only as binary data.
 */
final class TensorJson {
    private TensorJson() {
    }

    static void write(JsonWriter out, Tensor tensor) throws IOException {
        ByteBuffer b = tensor.bytes();
        long n = tensor.elementCount();
        out.beginArray();
        for (int i = 0; i < n; i++) {
            switch (tensor.type()) {
                case BOOL -> out.value(b.get(i) != 0);
                case UINT8 -> out.value(b.get(i) & 0xff);
                case INT32 -> out.value(b.getInt(i * 4));
                case INT64 -> out.value(b.getLong(i * 8));
                case FP32 -> writeFloat(out, b.getFloat(i * 4));
                case FP16 -> throw new ProtocolException("FP16 tensors travel only as binary data"
                        + " (the binary tensor extension); request binary_data for this output");
            }
        }
        out.endArray();
    }

    private static void writeFloat(JsonWriter out, float value) throws IOException {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            throw new ProtocolException("a tensor holds " + value + ", which JSON cannot carry; request binary_data");
        }
        out.jsonValue(Float.toString(value));
    }

    /** Reads {@code data} into a tensor of {@code type} and {@code shape}, naming {@code tensorName} in errors. */
    static Tensor read(JsonElement data, DataType type, long[] shape, String tensorName) {
        if (type == DataType.FP16) {
            throw new ProtocolException("tensor \"" + tensorName + "\" is FP16, which the protocol carries only as binary"
                    + " data; send it with parameters.binary_data_size");
        }
        long count = Shapes.elementCount(shape);
        if (!data.isJsonArray()) {
            throw new ProtocolException("tensor \"" + tensorName + "\": data is " + abbreviate(data)
                    + "; expected a JSON array of " + count + " values");
        }
        JsonArray flat = new JsonArray();
        flatten(data.getAsJsonArray(), flat);
        if (flat.size() != count) {
            throw new ProtocolException("tensor \"" + tensorName + "\": shape " + Shapes.format(shape) + " needs " + count
                    + " values, data has " + flat.size());
        }
        Tensor tensor = Tensor.allocate(type, shape);
        ByteBuffer b = tensor.bytes();
        for (int i = 0; i < count; i++) {
            JsonElement e = flat.get(i);
            switch (type) {
                case BOOL -> b.put(i, (byte) (bool(e, tensorName, i) ? 1 : 0));
                case UINT8 -> b.put(i, (byte) integer(e, tensorName, i, 0, 255));
                case INT32 -> b.putInt(i * 4, (int) integer(e, tensorName, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case INT64 -> b.putLong(i * 8, integer(e, tensorName, i, Long.MIN_VALUE, Long.MAX_VALUE));
                case FP32 -> b.putFloat(i * 4, (float) number(e, tensorName, i).doubleValue());
                default -> throw new IllegalStateException("FP16 refused above");
            }
        }
        return tensor;
    }

    private static void flatten(JsonArray nested, JsonArray into) {
        for (JsonElement e : nested) {
            if (e.isJsonArray()) {
                flatten(e.getAsJsonArray(), into);
            } else {
                into.add(e);
            }
        }
    }

    private static boolean bool(JsonElement e, String tensor, int index) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e)
                + "; expected true or false for BOOL");
    }

    private static BigDecimal number(JsonElement e, String tensor, int index) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                return e.getAsBigDecimal();
            } catch (NumberFormatException beyondRange) { // an exponent like 1e999999999
                throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e)
                        + ", beyond the range of any tensor type");
            }
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e) + "; expected a number");
    }

    private static long integer(JsonElement e, String tensor, int index, long min, long max) {
        BigDecimal value = number(e, tensor, index);
        try {
            long whole = value.longValueExact();
            if (whole >= min && whole <= max) {
                return whole;
            }
        } catch (ArithmeticException notWhole) {
            // reported below
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + value
                + "; expected a whole number from " + min + " to " + max);
    }

    static String abbreviate(JsonElement e) {
        String text = String.valueOf(e);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
