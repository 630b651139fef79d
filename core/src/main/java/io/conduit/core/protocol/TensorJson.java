package io.conduit.core.protocol;

import com.google.gson.JsonElement;
import com.google.gson.stream.JsonWriter;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensor data as the V2 protocol writes it in JSON: one flat row-major array ({@code true}/{@code false}
 * for BOOL, JSON strings for BYTES, numbers otherwise, unsigned types as their unsigned values, {@code -0.0} kept). Nested
 * arrays are accepted on input and flattened; values are taken one by one as they are parsed, so a
 * {@code data} array longer than its shape is refused at the first value too many. FP16 and BF16 have no JSON form in the protocol and
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

    /**
     * A sink for the values of a tensor called {@code tensorName} of {@code type} and {@code shape}, which
     * refuses the first value past the shape's count as it arrives. Its buffer grows with the values
     * received, so a shape that claims more than the data holds reserves nothing it never fills.
     */
    static ValueSink sink(DataType type, long[] shape, String tensorName) {
        if (!hasJsonForm(type)) {
            throw new ProtocolException("tensor \"" + tensorName + "\" is " + type + ", which the protocol carries only as"
                    + " binary data; send it with parameters.binary_data_size");
        }
        return new ValueSink(type, shape, tensorName);
    }

    /**
     * What a JSON value in {@code data} is: a number (its text), true or false, a string (its value), or
     * anything else (its JSON text).
     */
    enum Kind { NUMBER, BOOLEAN, STRING, OTHER }

    /** Receives a tensor's values in row-major order and builds the tensor. */
    static final class ValueSink {
        private static final int FIRST_BYTES = 1 << 16;
        private final DataType type;
        private final long[] shape;
        private final String tensorName;
        private final long count;
        private ByteBuffer b;
        private String[] strings;
        private int i;

        private ValueSink(DataType type, long[] shape, String tensorName) {
            this.type = type;
            this.shape = shape;
            this.tensorName = tensorName;
            this.count = Shapes.elementCount(shape);
            if (type == DataType.BYTES) {
                if (count > Integer.MAX_VALUE - 8) {
                    throw new ProtocolException("tensor \"" + tensorName + "\": BYTES" + Shapes.format(shape)
                            + " holds more strings than one tensor can");
                }
                this.strings = new String[(int) Math.min(count, 1024)];
                return;
            }
            if (count * type.byteSize() > Integer.MAX_VALUE) {
                throw new ProtocolException("tensor \"" + tensorName + "\": " + type + Shapes.format(shape)
                        + " exceeds 2 GiB, the most one tensor holds");
            }
            this.b = ByteBuffer.allocate((int) Math.min(FIRST_BYTES, count * type.byteSize())).order(ByteOrder.nativeOrder());
        }

        long count() {
            return count;
        }

        void accept(Kind kind, String text) {
            if (i >= count) {
                throw new ProtocolException("tensor \"" + tensorName + "\": shape " + Shapes.format(shape) + " needs "
                        + count + " values, data has more");
            }
            if (type == DataType.BYTES) {
                if (i == strings.length) {
                    strings = java.util.Arrays.copyOf(strings, (int) Math.min(count, 2L * strings.length));
                }
                strings[i] = string(kind, text); // names value i if it is not a string
                i++;
                return;
            }
            grow();
            switch (type) {
                case BOOL -> b.put(i, (byte) (bool(kind, text) ? 1 : 0));
                case UINT8 -> b.put(i, (byte) integer(kind, text, 0, 255));
                case INT8 -> b.put(i, (byte) integer(kind, text, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case INT16 -> b.putShort(i * 2, (short) integer(kind, text, Short.MIN_VALUE, Short.MAX_VALUE));
                case UINT16 -> b.putShort(i * 2, (short) integer(kind, text, 0, 0xffff));
                case INT32 -> b.putInt(i * 4, (int) integer(kind, text, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case UINT32 -> b.putInt(i * 4, (int) integer(kind, text, 0, 0xffffffffL));
                case INT64 -> b.putLong(i * 8, integer(kind, text, Long.MIN_VALUE, Long.MAX_VALUE));
                case UINT64 -> b.putLong(i * 8, unsigned64(kind, text));
                // Parsed from the JSON text itself, straight to the element type: keeps -0.0 and rounds once.
                case FP32 -> b.putFloat(i * 4, (float) finite(Float.parseFloat(number(kind, text)), text));
                case FP64 -> b.putDouble(i * 8, finite(Double.parseDouble(number(kind, text)), text));
                default -> throw new IllegalStateException(type + " refused by sink()");
            }
            i++;
        }

        /** The tensor, once every value has arrived. */
        Tensor finish() {
            if (i != count) {
                throw wrongCount(i);
            }
            if (type == DataType.BYTES) {
                return Tensor.ofStrings(shape, strings.length == count ? strings : java.util.Arrays.copyOf(strings, i));
            }
            Tensor tensor = Tensor.allocate(type, shape);
            tensor.bytes().put(0, b, 0, (int) (count * type.byteSize()));
            return tensor;
        }

        ProtocolException wrongCount(long values) {
            return new ProtocolException("tensor \"" + tensorName + "\": shape " + Shapes.format(shape) + " needs "
                    + count + " values, data has " + values);
        }

        ProtocolException notArray(JsonElement data) {
            return new ProtocolException("tensor \"" + tensorName + "\": data is " + abbreviate(data)
                    + "; expected a JSON array of " + count + " values");
        }

        private void grow() {
            int end = (i + 1) * type.byteSize();
            if (end > b.capacity()) {
                long doubled = Math.min((long) b.capacity() * 2, count * type.byteSize());
                ByteBuffer bigger = ByteBuffer.allocate((int) doubled).order(ByteOrder.nativeOrder());
                bigger.put(0, b, 0, b.capacity());
                b = bigger;
            }
        }

        private boolean bool(Kind kind, String text) {
            if (kind == Kind.BOOLEAN) {
                return text.equals("true");
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + shown(kind, text)
                    + "; expected true or false for BOOL");
        }

        private String string(Kind kind, String text) {
            if (kind == Kind.STRING) {
                return text;
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + shown(kind, text)
                    + "; expected a JSON string for BYTES");
        }

        private String number(Kind kind, String text) {
            if (kind == Kind.NUMBER) {
                return text;
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + shown(kind, text)
                    + "; expected a number");
        }

        /** A value as JSON spells it, shortened: a string quoted, anything else its text. */
        private static String shown(Kind kind, String text) {
            return kind == Kind.STRING ? abbreviate(new com.google.gson.JsonPrimitive(text)) : abbreviate(text);
        }

        // A number too large for the element type parses as an infinity, which it never said.
        private double finite(double value, String text) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + abbreviate(text)
                        + ", beyond the range of " + type + "; infinities travel only as binary data");
            }
            return value;
        }

        /**
         * The value as a decimal with at most 20 integer digits: a number like {@code 1e999999999} (an exponent
         * BigDecimal cannot hold, or one whose whole value would take megabytes to compute) fits no integer
         * type, and neither does a number spelled in more than ten thousand characters (Gson's own limit).
         */
        private BigDecimal decimal(Kind kind, String text) {
            String number = number(kind, text);
            try {
                if (number.length() <= 10_000) {
                    BigDecimal value = new BigDecimal(number);
                    if (value.precision() - value.scale() <= 20) {
                        return value;
                    }
                }
            } catch (NumberFormatException beyondRange) {
                // reported below
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + abbreviate(text)
                    + ", beyond the range of any integer type");
        }

        private long integer(Kind kind, String text, long min, long max) {
            BigDecimal value = decimal(kind, text);
            try {
                long whole = value.longValueExact();
                if (whole >= min && whole <= max) {
                    return whole;
                }
            } catch (ArithmeticException notWhole) {
                // reported below
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + value
                    + "; expected a whole number from " + min + " to " + max);
        }

        private long unsigned64(Kind kind, String text) {
            BigDecimal value = decimal(kind, text);
            try {
                BigInteger whole = value.toBigIntegerExact();
                if (whole.signum() >= 0 && whole.bitLength() <= 64) {
                    return whole.longValue();
                }
            } catch (ArithmeticException notWhole) {
                // reported below
            }
            throw new ProtocolException("tensor \"" + tensorName + "\": value " + i + " is " + value
                    + "; expected a whole number from 0 to " + Long.toUnsignedString(-1L));
        }
    }

    static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    static String abbreviate(JsonElement e) {
        return abbreviate(String.valueOf(e));
    }
}
