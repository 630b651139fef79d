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
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Tensor data as the V2 protocol writes it in JSON: one flat row-major array ({@code true}/{@code false}
 * for BOOL, JSON strings for BYTES, numbers otherwise, unsigned types as their unsigned values, {@code -0.0} kept). Nested
 * arrays are accepted on input and flattened. FP16 and BF16 have no JSON form in the protocol and
 * travel only as binary data, as do NaN and infinities, which JSON numbers cannot spell.
 */
final class TensorJson {
    private TensorJson() {
    }

    static void write(JsonWriter out, Tensor tensor) throws IOException {
        if (!hasJsonForm(tensor.type())) {
            throw new ProtocolException(tensor.type() + " tensors travel only as binary data"
                    + " (the binary tensor extension); request binary_data for this output");
        }
        if (tensor.type() == DataType.BYTES) {
            out.beginArray();
            for (String value : tensor.strings()) {
                out.value(value);
            }
            out.endArray();
            return;
        }
        ByteBuffer b = tensor.bytes();
        long n = tensor.elementCount();
        out.beginArray();
        for (int i = 0; i < n; i++) {
            switch (tensor.type()) {
                case BOOL -> out.value(b.get(i) != 0);
                case UINT8 -> out.value(b.get(i) & 0xff);
                case INT8 -> out.value(b.get(i));
                case INT16 -> out.value(b.getShort(i * 2));
                case UINT16 -> out.value(b.getShort(i * 2) & 0xffff);
                case INT32 -> out.value(b.getInt(i * 4));
                case UINT32 -> out.value(b.getInt(i * 4) & 0xffffffffL);
                case INT64 -> out.value(b.getLong(i * 8));
                case UINT64 -> out.jsonValue(Long.toUnsignedString(b.getLong(i * 8)));
                case FP32 -> writeFinite(out, b.getFloat(i * 4), Float.toString(b.getFloat(i * 4)));
                case FP64 -> writeFinite(out, b.getDouble(i * 8), Double.toString(b.getDouble(i * 8)));
                default -> throw new IllegalStateException(tensor.type() + " refused above");
            }
        }
        out.endArray();
    }

    /**
     * Whether the protocol carries this type in JSON. FP16 and BF16 have no JSON form in V2 (Triton
     * sends them only as binary); a caller asks for them as binary instead.
     */
    static boolean hasJsonForm(DataType type) {
        return type != DataType.FP16 && type != DataType.BF16;
    }

    // Java's own shortest round-trip text, which keeps -0.0 (a JSON number may be negative zero).
    private static void writeFinite(JsonWriter out, double value, String text) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ProtocolException("a tensor holds " + value + ", which JSON cannot carry; request binary_data");
        }
        out.jsonValue(text);
    }

    /** Reads {@code data} into a tensor of {@code type} and {@code shape}, naming {@code tensorName} in errors. */
    static Tensor read(JsonElement data, DataType type, long[] shape, String tensorName) {
        if (!hasJsonForm(type)) {
            throw new ProtocolException("tensor \"" + tensorName + "\" is " + type + ", which the protocol carries only as"
                    + " binary data; send it with parameters.binary_data_size");
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
        if (type == DataType.BYTES) {
            String[] strings = new String[(int) count];
            for (int i = 0; i < count; i++) {
                strings[i] = string(flat.get(i), tensorName, i);
            }
            return Tensor.ofStrings(shape, strings);
        }
        Tensor tensor = Tensor.allocate(type, shape);
        ByteBuffer b = tensor.bytes();
        for (int i = 0; i < count; i++) {
            JsonElement e = flat.get(i);
            switch (type) {
                case BOOL -> b.put(i, (byte) (bool(e, tensorName, i) ? 1 : 0));
                case UINT8 -> b.put(i, (byte) integer(e, tensorName, i, 0, 255));
                case INT8 -> b.put(i, (byte) integer(e, tensorName, i, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case INT16 -> b.putShort(i * 2, (short) integer(e, tensorName, i, Short.MIN_VALUE, Short.MAX_VALUE));
                case UINT16 -> b.putShort(i * 2, (short) integer(e, tensorName, i, 0, 0xffff));
                case INT32 -> b.putInt(i * 4, (int) integer(e, tensorName, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case UINT32 -> b.putInt(i * 4, (int) integer(e, tensorName, i, 0, 0xffffffffL));
                case INT64 -> b.putLong(i * 8, integer(e, tensorName, i, Long.MIN_VALUE, Long.MAX_VALUE));
                case UINT64 -> b.putLong(i * 8, unsigned64(e, tensorName, i));
                // Parsed from the JSON text itself, straight to the element type: keeps -0.0 and rounds once.
                case FP32 -> b.putFloat(i * 4, (float) finite(Float.parseFloat(number(e, tensorName, i).getAsString()),
                        tensorName, i, type, e));
                case FP64 -> b.putDouble(i * 8, finite(Double.parseDouble(number(e, tensorName, i).getAsString()),
                        tensorName, i, type, e));
                default -> throw new IllegalStateException(type + " refused above");
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

    private static String string(JsonElement e, String tensor, int index) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e)
                + "; expected a JSON string for BYTES");
    }

    private static JsonPrimitive number(JsonElement e, String tensor, int index) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return e.getAsJsonPrimitive();
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e) + "; expected a number");
    }

    // A number too large for the element type parses as an infinity, which it never said.
    private static double finite(double value, String tensor, int index, DataType type, JsonElement e) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + e.getAsString()
                    + ", beyond the range of " + type + "; infinities travel only as binary data");
        }
        return value;
    }

    /**
     * The value as a decimal with at most 20 integer digits: a number like {@code 1e999999999} (an exponent
     * BigDecimal cannot hold, or one whose whole value would take megabytes to compute) fits no integer type.
     */
    private static BigDecimal decimal(JsonElement e, String tensor, int index) {
        JsonPrimitive number = number(e, tensor, index);
        try {
            BigDecimal value = number.getAsBigDecimal();
            if (value.precision() - value.scale() <= 20) {
                return value;
            }
        } catch (NumberFormatException beyondRange) {
            // reported below
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + abbreviate(e)
                + ", beyond the range of any integer type");
    }

    private static long integer(JsonElement e, String tensor, int index, long min, long max) {
        BigDecimal value = decimal(e, tensor, index);
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

    private static long unsigned64(JsonElement e, String tensor, int index) {
        BigDecimal value = decimal(e, tensor, index);
        try {
            BigInteger whole = value.toBigIntegerExact();
            if (whole.signum() >= 0 && whole.bitLength() <= 64) {
                return whole.longValue();
            }
        } catch (ArithmeticException notWhole) {
            // reported below
        }
        throw new ProtocolException("tensor \"" + tensor + "\": value " + index + " is " + value
                + "; expected a whole number from 0 to " + Long.toUnsignedString(-1L));
    }

    static String abbreviate(JsonElement e) {
        String text = String.valueOf(e);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
