package io.conduit.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Objects;

/**
 * A dense, row-major tensor: a datatype, a concrete shape and the bytes of its elements in native
 * order. Engines hand the buffer to ONNX Runtime in place when it is direct, so building inputs with
 * {@link #allocate} avoids a copy at the native boundary. The buffer is Java-managed memory; nothing
 * here needs closing.
 *
 * <p>A {@link DataType#BYTES} tensor holds strings instead, one per element, and no buffer: its
 * elements have no fixed size, so {@link #bytes()} refuses it and {@link #strings()} reads it. Such a
 * tensor is immutable. Keeping the strings apart leaves every numeric path a plain buffer.
 */
public final class Tensor {
    private final DataType type;
    private final long[] shape;
    private final ByteBuffer data;
    private final String[] strings;

    private Tensor(DataType type, long[] shape, ByteBuffer data) {
        this.type = Objects.requireNonNull(type, "type");
        this.shape = shape.clone();
        long expected = Math.multiplyExact(Shapes.elementCount(this.shape), type.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("a " + type + " tensor of shape " + Shapes.format(shape)
                    + " needs " + expected + " bytes, the buffer holds " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.nativeOrder());
        this.strings = null;
    }

    private Tensor(long[] shape, String[] strings) {
        this.type = DataType.BYTES;
        this.shape = shape.clone();
        if (strings.length != Shapes.elementCount(this.shape)) {
            throw new IllegalArgumentException("a BYTES tensor of shape " + Shapes.format(shape) + " needs "
                    + Shapes.elementCount(this.shape) + " strings, " + strings.length + " given");
        }
        for (String s : strings) {
            Objects.requireNonNull(s, "a BYTES tensor's element");
        }
        this.data = null;
        this.strings = strings;
    }

    /**
     * A zero-filled tensor backed by a direct, native-order buffer; for {@link DataType#BYTES}, one
     * holding empty strings.
     */
    public static Tensor allocate(DataType type, long... shape) {
        if (type == DataType.BYTES) {
            String[] empty = new String[Math.toIntExact(Shapes.elementCount(shape))];
            java.util.Arrays.fill(empty, "");
            return new Tensor(shape, empty);
        }
        long bytes = Math.multiplyExact(Shapes.elementCount(shape), type.byteSize());
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a tensor of shape " + Shapes.format(shape)
                    + " is larger than 2 GiB, the most one buffer can hold");
        }
        return new Tensor(type, shape, ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()));
    }

    /** A BYTES tensor holding these strings, row-major (copied). */
    public static Tensor ofStrings(long[] shape, String... values) {
        return new Tensor(shape, values.clone());
    }

    /** Wraps the remaining bytes of a buffer (read in native order) without copying. */
    public static Tensor wrap(DataType type, long[] shape, ByteBuffer data) {
        return new Tensor(type, shape, data);
    }

    /** An FP32 tensor holding these values, mostly for tests and small parameters. */
    public static Tensor ofFloats(long[] shape, float... values) {
        Tensor tensor = allocate(DataType.FP32, shape);
        tensor.floats().put(values);
        return tensor;
    }

    public DataType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** A view of the element bytes: position 0, native order; writes go to this tensor. Not for BYTES tensors. */
    public ByteBuffer bytes() {
        requireFixedSize();
        return data.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * The buffer this tensor was made over, for code that recycles buffers (a service's pool); it
     * may be shared with other tensors, so only release it when every one of them is done. Null for a
     * BYTES tensor, which has none.
     */
    public ByteBuffer backingBuffer() {
        return data;
    }

    /** A BYTES tensor's strings, row-major (a copy). */
    public String[] strings() {
        requireType(DataType.BYTES);
        return strings.clone();
    }

    /**
     * What the elements take in bytes: the buffer's size, or for strings their UTF-8 bytes plus the
     * 4-byte length V2's binary form puts before each; for budgets and limits.
     */
    public long byteCount() {
        if (strings == null) {
            return data.remaining();
        }
        long total = 0;
        for (String s : strings) {
            total += 4 + s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return total;
    }

    public FloatBuffer floats() {
        requireType(DataType.FP32);
        return bytes().asFloatBuffer();
    }

    /** FP16 elements as raw IEEE 754 half-precision bits. */
    public ShortBuffer halfBits() {
        requireType(DataType.FP16);
        return bytes().asShortBuffer();
    }

    public IntBuffer ints() {
        requireType(DataType.INT32);
        return bytes().asIntBuffer();
    }

    public LongBuffer longs() {
        requireType(DataType.INT64);
        return bytes().asLongBuffer();
    }

    private void requireFixedSize() {
        if (strings != null) {
            throw new IllegalStateException("this tensor holds strings (BYTES), not fixed-size elements; read strings()");
        }
    }

    private void requireType(DataType wanted) {
        if (type != wanted) {
            throw new IllegalStateException("this tensor holds " + type + ", not " + wanted);
        }
    }

    @Override
    public String toString() {
        return type + Shapes.format(shape);
    }
}
