package io.conduit.server.grpc;

import com.google.protobuf.ByteString;
import io.conduit.core.protocol.BinaryStrings;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.protocol.ProtocolException;
import io.conduit.core.protocol.TensorAllocator;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.grpc.proto.InferParameter;
import io.conduit.server.grpc.proto.InferTensorContents;
import io.conduit.server.grpc.proto.ModelInferRequest;
import io.conduit.server.grpc.proto.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts between the gRPC messages and core's {@link InferRequest}/{@link InferResponse}, the same records
 * {@code V2Codec} makes of an HTTP body, so everything after the conversion is the HTTP path's. Tensors
 * come as {@code raw_input_contents} (what Triton's clients and perf_analyzer send: little-endian, row-major,
 * read into a buffer of the service's pool as the binary HTTP extension's are) or as typed
 * {@code contents}; outputs always go back as {@code raw_output_contents}, byte for byte the binary HTTP
 * answer's tensors. BYTES (strings) use Triton's layout in raw contents, as in binary HTTP bodies, and
 * {@code bytes_contents} when typed; either way they must be UTF-8 text. Every malformed message is a {@link ProtocolException} naming the tensor and the field.
 */
final class GrpcTensors {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("raw tensor contents are little-endian; this platform is not");
        }
    }

    private GrpcTensors() {
    }

    /** The request's tensors and output choice, each input in a buffer from {@code allocator}. */
    static InferRequest request(ModelInferRequest message, TensorAllocator allocator) {
        int raws = message.getRawInputContentsCount();
        if (raws != 0 && raws != message.getInputsCount()) {
            throw new ProtocolException("raw_input_contents has " + raws + " entries for " + message.getInputsCount()
                    + " inputs; expected one per input, in the order of inputs");
        }
        List<NamedTensor> inputs = new ArrayList<>();
        for (int i = 0; i < message.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = message.getInputs(i);
            inputs.add(new NamedTensor(input.getName(), raws != 0
                    ? raw(input, message.getRawInputContents(i), allocator) : typed(input, allocator)));
        }
        List<InferRequest.OutputRequest> outputs = new ArrayList<>();
        message.getOutputsList().forEach(o -> outputs.add(new InferRequest.OutputRequest(o.getName(), true)));
        return new InferRequest(message.getId(), inputs, outputs, true);
    }

    /** The caller's package digest from the request's {@value PackageDigest#PARAMETER} parameter, or null. */
    static String packageDigest(ModelInferRequest message) {
        InferParameter p = message.getParametersMap().get(PackageDigest.PARAMETER);
        if (p == null) {
            return null;
        }
        if (p.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
            throw new ProtocolException("parameter " + PackageDigest.PARAMETER + " is a "
                    + p.getParameterChoiceCase() + "; expected a string_param holding the package's sha256");
        }
        return p.getStringParam();
    }

    /** {@code response} as the gRPC answer: outputs in raw_output_contents, parameters as string parameters. */
    static ModelInferResponse response(InferResponse response) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(response.modelName())
                .setModelVersion(response.modelVersion()).setId(response.id());
        response.parameters().forEach((k, v) -> b.putParameters(k, InferParameter.newBuilder().setStringParam(v).build()));
        for (NamedTensor output : response.outputs()) {
            Tensor t = output.tensor();
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(output.name()).setDatatype(t.type().name());
            for (long d : t.shape()) {
                o.addShape(d);
            }
            b.addOutputs(o);
            // A copy: the tensor's buffer goes back to the pool once the call is answered.
            b.addRawOutputContents(ByteString.copyFrom(t.type() == DataType.BYTES ? BinaryStrings.encode(t) : t.bytes()));
        }
        return b.build();
    }

    private static Tensor raw(ModelInferRequest.InferInputTensor input, ByteString raw, TensorAllocator allocator) {
        String what = "input \"" + input.getName() + "\"";
        if (input.hasContents()) {
            throw new ProtocolException(what + " has contents while the request uses raw_input_contents; expected"
                    + " every input in one form");
        }
        DataType type = type(input, what);
        long[] shape = shape(input, what);
        if (type == DataType.BYTES) {
            // Triton's layout, as in binary HTTP bodies: each element a 4-byte little-endian length and its bytes.
            return Tensor.ofStrings(shape, BinaryStrings.decode(raw.asReadOnlyByteBuffer(), count(shape, what), what));
        }
        long expected = bytes(type, shape, what);
        if (raw.size() != expected) {
            throw new ProtocolException(what + ": raw_input_contents holds " + raw.size() + " bytes but " + type
                    + Shapes.format(shape) + " needs " + expected);
        }
        ByteBuffer buffer = allocator.allocate(input.getName(), raw.size()).order(ByteOrder.LITTLE_ENDIAN);
        raw.copyTo(buffer);
        buffer.flip();
        return Tensor.wrap(type, shape, buffer);
    }

    private static Tensor typed(ModelInferRequest.InferInputTensor input, TensorAllocator allocator) {
        String what = "input \"" + input.getName() + "\"";
        DataType type = type(input, what);
        long[] shape = shape(input, what);
        long count = count(shape, what);
        InferTensorContents c = input.getContents();
        ContentsField field = ContentsField.of(type).orElseThrow(() -> new ProtocolException(what + ": " + type
                + " has no typed contents in the protocol; send it in raw_input_contents"));
        long given = field.count(c);
        if (given != count) {
            throw new ProtocolException(what + ": contents." + field.label + " holds " + given + " values but "
                    + type + Shapes.format(shape) + " needs " + count);
        }
        long others = c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount()
                + c.getUintContentsCount() + c.getUint64ContentsCount() + c.getFp32ContentsCount()
                + c.getFp64ContentsCount() + c.getBytesContentsCount() - given;
        if (others != 0) {
            throw new ProtocolException(what + ": a " + type + " tensor's values belong in contents." + field.label
                    + " alone; other contents fields hold " + others + " values");
        }
        if (type == DataType.BYTES) {
            String[] strings = new String[(int) count];
            for (int i = 0; i < strings.length; i++) {
                ByteString element = c.getBytesContents(i);
                if (!element.isValidUtf8()) {
                    throw new ProtocolException(what + ": string " + i + " is not UTF-8 text; Conduit carries BYTES"
                            + " elements as text, as ONNX Runtime's string tensors hold them");
                }
                strings[i] = element.toStringUtf8();
            }
            return Tensor.ofStrings(shape, strings);
        }
        ByteBuffer buffer = allocator.allocate(input.getName(), (int) bytes(type, shape, what))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case BOOL -> buffer.put((byte) (c.getBoolContents(i) ? 1 : 0));
                case INT8 -> buffer.put((byte) c.getIntContents(i));
                case INT16 -> buffer.putShort((short) c.getIntContents(i));
                case INT32 -> buffer.putInt(c.getIntContents(i));
                case INT64 -> buffer.putLong(c.getInt64Contents(i));
                case UINT8 -> buffer.put((byte) c.getUintContents(i));
                case UINT16 -> buffer.putShort((short) c.getUintContents(i));
                case UINT32 -> buffer.putInt(c.getUintContents(i));
                case UINT64 -> buffer.putLong(c.getUint64Contents(i));
                case FP32 -> buffer.putFloat(c.getFp32Contents(i));
                case FP64 -> buffer.putDouble(c.getFp64Contents(i));
                default -> throw new IllegalStateException("no typed contents for " + type);
            }
        }
        buffer.flip();
        return Tensor.wrap(type, shape, buffer);
    }

    private static DataType type(ModelInferRequest.InferInputTensor input, String what) {
        return DataType.fromName(input.getDatatype()).orElseThrow(() -> new ProtocolException(what + ": datatype \""
                + input.getDatatype() + "\" is not supported; expected one of " + DataType.supportedNames()));
    }

    /** Each size 0 or more, as the HTTP side takes them (a zero-size axis runs, and never joins a batch). */
    private static long[] shape(ModelInferRequest.InferInputTensor input, String what) {
        long[] shape = new long[input.getShapeCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.getShape(i);
            if (shape[i] < 0) {
                throw new ProtocolException(what + ": shape[" + i + "] is " + shape[i] + "; expected a size of 0 or more");
            }
        }
        return shape;
    }

    private static long count(long[] shape, String what) {
        try {
            long count = Shapes.elementCount(shape);
            if (count > Integer.MAX_VALUE) {
                throw new ProtocolException(what + ": shape " + Shapes.format(shape) + " is too large");
            }
            return count;
        } catch (ArithmeticException overflow) {
            throw new ProtocolException(what + ": shape " + Shapes.format(shape) + " is too large");
        }
    }

    private static long bytes(DataType type, long[] shape, String what) {
        try {
            long bytes = Math.multiplyExact(Shapes.elementCount(shape), type.byteSize());
            if (bytes > Integer.MAX_VALUE) {
                throw new ProtocolException(what + ": " + type + Shapes.format(shape) + " exceeds 2 GiB, the most one"
                        + " tensor holds");
            }
            return bytes;
        } catch (ArithmeticException overflow) {
            throw new ProtocolException(what + ": shape " + Shapes.format(shape) + " is too large");
        }
    }

    /** The contents field that carries each datatype's values. */
    private enum ContentsField {
        BOOL("bool_contents"), INT("int_contents"), INT64("int64_contents"), UINT("uint_contents"),
        UINT64("uint64_contents"), FP32("fp32_contents"), FP64("fp64_contents"), BYTES("bytes_contents");

        private static final Map<DataType, ContentsField> BY_TYPE = Map.ofEntries(
                Map.entry(DataType.BOOL, BOOL), Map.entry(DataType.INT8, INT), Map.entry(DataType.INT16, INT),
                Map.entry(DataType.INT32, INT), Map.entry(DataType.INT64, INT64), Map.entry(DataType.UINT8, UINT),
                Map.entry(DataType.UINT16, UINT), Map.entry(DataType.UINT32, UINT), Map.entry(DataType.UINT64, UINT64),
                Map.entry(DataType.FP32, FP32), Map.entry(DataType.FP64, FP64), Map.entry(DataType.BYTES, BYTES));
        final String label;

        ContentsField(String label) {
            this.label = label;
        }

        static java.util.Optional<ContentsField> of(DataType type) {
            return java.util.Optional.ofNullable(BY_TYPE.get(type));
        }

        long count(InferTensorContents c) {
            return switch (this) {
                case BOOL -> c.getBoolContentsCount();
                case INT -> c.getIntContentsCount();
                case INT64 -> c.getInt64ContentsCount();
                case UINT -> c.getUintContentsCount();
                case UINT64 -> c.getUint64ContentsCount();
                case FP32 -> c.getFp32ContentsCount();
                case FP64 -> c.getFp64ContentsCount();
                case BYTES -> c.getBytesContentsCount();
            };
        }
    }
}
