package io.conduit.core.engine.local;

import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.onnx.OrtTypes;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Works out, before a run, the shape of every output it can: axes the model fixes, and dynamic
 * axes whose symbolic name also names an input axis ({@code height} in, {@code height} out). Those
 * outputs are allocated here as direct buffers and handed to ONNX Runtime to write into, so the
 * result reaches the caller without a copy; the rest are copied out of ONNX Runtime after the run.
 */
final class OutputPlanner {
    private OutputPlanner() {
    }

    /** Pre-allocated tensors for the outputs whose shape is known from the inputs. */
    static Map<String, Tensor> allocate(OnnxSignature signature, Map<String, Tensor> inputs,
                                        io.conduit.core.tensor.BufferPool pool) {
        Map<String, Long> bound = new HashMap<>();
        for (OnnxSignature.Port port : signature.inputs()) {
            Tensor given = inputs.get(port.name());
            long[] shape = port.shape();
            String[] names = port.dimensionNames();
            long[] actual = given.shape();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == Shapes.DYNAMIC && !names[i].isEmpty()) {
                    Long previous = bound.putIfAbsent(names[i], actual[i]);
                    if (previous != null && previous != actual[i]) {
                        bound.put(names[i], Shapes.DYNAMIC); // inputs disagree: let ONNX Runtime decide
                    }
                }
            }
        }
        Map<String, Tensor> planned = new LinkedHashMap<>();
        for (OnnxSignature.Port port : signature.outputs()) {
            long[] shape = port.shape();
            String[] names = port.dimensionNames();
            boolean known = true;
            for (int i = 0; i < shape.length && known; i++) {
                if (shape[i] == Shapes.DYNAMIC) {
                    Long size = names[i].isEmpty() ? null : bound.get(names[i]);
                    known = size != null && size >= 0;
                    shape[i] = known ? size : shape[i];
                }
            }
            if (known && shape.length > 0 && port.datatype().hasFixedSize() && OrtTypes.canCreate(port.datatype())) {
                long bytes = Shapes.elementCount(shape) * port.datatype().byteSize();
                planned.put(port.name(), pool == null || bytes > Integer.MAX_VALUE || bytes == 0
                        ? Tensor.allocate(port.datatype(), shape)
                        : Tensor.wrap(port.datatype(), shape, pool.acquire((int) bytes)));
            }
        }
        return planned;
    }
}
