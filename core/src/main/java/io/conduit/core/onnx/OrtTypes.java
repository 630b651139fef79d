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
        };
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
            default -> null;
        });
    }
}
