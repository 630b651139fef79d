package io.conduit.core.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.conduit.core.tensor.DataType;
import java.util.Optional;

/** Translates between Conduit's datatypes and ONNX Runtime's two type enumerations. */
public final class OrtTypes {
    private OrtTypes() {
    }

    public static OnnxJavaType toJavaType(DataType type) {
        return switch (type) {
            case BOOL -> OnnxJavaType.BOOL;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
            case BYTES -> OnnxJavaType.STRING;
            // ONNX Runtime's Java API has no unsigned 16/32/64-bit type: it reads such outputs with the signed type
            // of the same width (the bytes are the same), and cannot build such inputs (see canCreate).
            case UINT16 -> OnnxJavaType.INT16;
            case UINT32 -> OnnxJavaType.INT32;
            case UINT64 -> OnnxJavaType.INT64;
        };
    }

    /**
     * Whether ONNX Runtime's Java API can build a tensor of exactly this type. It cannot for UINT16,
     * UINT32 and UINT64: such models can return them, but cannot be fed them, and their outputs
     * cannot be pre-allocated.
     */
    public static boolean canCreate(DataType type) {
        return type != DataType.UINT16 && type != DataType.UINT32 && type != DataType.UINT64;
    }

    /** The Conduit datatype of an ONNX tensor element type, if Conduit supports it. */
    public static Optional<DataType> fromOnnx(TensorInfo.OnnxTensorType type) {
        return Optional.ofNullable(switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
            default -> null;
        });
    }
}
