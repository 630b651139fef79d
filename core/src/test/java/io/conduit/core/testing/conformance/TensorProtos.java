package io.conduit.core.testing.conformance;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ONNX backend tests' {@code input_N.pb} / {@code output_N.pb} files (serialized
 * {@code TensorProto}s) into tensors: dims, data type, and the values from {@code raw_data} or from
 * the typed repeated fields, which onnx.proto3 assigns per element type ({@code string_data} for
 * STRING, read as UTF-8 text).
 */
public final class TensorProtos {
    /** A tensor read from a file, or why it cannot be one Conduit carries. */
    public record Read(String name, Tensor tensor, String unsupported) {
    }

    private TensorProtos() {
    }

    public static Read read(Path file) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        List<Number> values = new ArrayList<>();
        List<byte[]> strings = new ArrayList<>();
        try (InputStream stream = Files.newInputStream(file)) {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            in.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                switch (field) {
                    case 1 -> repeated(in, packed, () -> dims.add(in.readInt64()));
                    case 2 -> dataType = in.readInt32();
                    case 4 -> repeated(in, packed, () -> values.add(in.readFloat()));
                    case 5 -> repeated(in, packed, () -> values.add(in.readInt32()));
                    case 6 -> strings.add(in.readByteArray());
                    case 7 -> repeated(in, packed, () -> values.add(in.readInt64()));
                    case 8 -> name = in.readString();
                    case 9 -> raw = in.readByteArray();
                    case 10 -> repeated(in, packed, () -> values.add(in.readDouble()));
                    case 11 -> repeated(in, packed, () -> values.add(in.readUInt64()));
                    default -> in.skipField(tag);
                }
            }
        }
        DataType type = type(dataType);
        if (type == null) {
            return new Read(name, null, "element type " + dataType + " (onnx.proto TensorProto.DataType)");
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (type == DataType.BYTES) {
            var utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
            String[] text = new String[strings.size()];
            for (int i = 0; i < text.length; i++) {
                try {
                    text[i] = utf8.decode(ByteBuffer.wrap(strings.get(i))).toString();
                } catch (java.nio.charset.CharacterCodingException e) {
                    return new Read(name, null, "string " + i + " that is not UTF-8 text");
                }
            }
            return new Read(name, Tensor.ofStrings(shape, text), null);
        }
        Tensor tensor = Tensor.allocate(type, shape);
        ByteBuffer out = tensor.bytes().order(ByteOrder.LITTLE_ENDIAN);
        if (raw != null) {
            out.put(raw);
        } else {
            for (Number v : values) {
                switch (type.byteSize()) {
                    case 1 -> out.put(v.byteValue());
                    case 2 -> out.putShort(v.shortValue());
                    case 4 -> {
                        if (type == DataType.FP32) {
                            out.putFloat(v.floatValue());
                        } else {
                            out.putInt(v.intValue());
                        }
                    }
                    default -> {
                        if (type == DataType.FP64) {
                            out.putDouble(v.doubleValue());
                        } else {
                            out.putLong(v.longValue());
                        }
                    }
                }
            }
        }
        return new Read(name, tensor, null);
    }

    private static DataType type(int onnx) {
        return switch (onnx) {
            case 1 -> DataType.FP32;
            case 2 -> DataType.UINT8;
            case 3 -> DataType.INT8;
            case 4 -> DataType.UINT16;
            case 5 -> DataType.INT16;
            case 6 -> DataType.INT32;
            case 7 -> DataType.INT64;
            case 8 -> DataType.BYTES;
            case 9 -> DataType.BOOL;
            case 10 -> DataType.FP16;
            case 11 -> DataType.FP64;
            case 12 -> DataType.UINT32;
            case 13 -> DataType.UINT64;
            case 16 -> DataType.BF16;
            default -> null; // complex, float8
        };
    }

    @FunctionalInterface
    private interface Element {
        void read() throws IOException;
    }

    private static void repeated(CodedInputStream in, boolean packed, Element element) throws IOException {
        if (!packed) {
            element.read();
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            element.read();
        }
        in.popLimit(limit);
    }
}
