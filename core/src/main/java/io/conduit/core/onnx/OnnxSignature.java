package io.conduit.core.onnx;

import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import java.util.List;

/**
 * The inputs and outputs an ONNX file declares, as ONNX Runtime reads them: names, datatypes,
 * shapes with -1 for dynamic axes, and the symbolic names of those axes ({@code "height"}), which
 * let the engine size outputs before a run. Also the opset and producer, for lineage.
 */
public record OnnxSignature(List<Port> inputs, List<Port> outputs, String producer, String graphName) {
    public OnnxSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * One input or output.
     *
     * @param dimensionNames a symbolic name per axis, empty where the axis is fixed or unnamed
     */
    public record Port(String name, DataType datatype, long[] shape, String[] dimensionNames) {
        public Port {
            shape = shape.clone();
            dimensionNames = dimensionNames.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String[] dimensionNames() {
            return dimensionNames.clone();
        }

        public String describe() {
            StringBuilder dims = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) {
                dims.append(i == 0 ? "" : ", ").append(shape[i] == Shapes.DYNAMIC && !dimensionNames[i].isEmpty()
                        ? dimensionNames[i] : String.valueOf(shape[i]));
            }
            return name + " " + datatype + dims + "]";
        }
    }
}
