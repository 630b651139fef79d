package io.conduit.core.testing.conformance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.onnx.OrtTypes;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime run directly on a model file, without Conduit's packages or engine: the baseline. */
public final class RawRuntime {
    private RawRuntime() {
    }

    /** ONNX Runtime's own error for these inputs, or null when it runs them. */
    public static String refusal(Path model, Map<String, Tensor> inputs) {
        try {
            run(model, inputs, result -> true);
            return null;
        } catch (OrtException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Whether ONNX Runtime alone gives exactly Conduit's outputs for these inputs. */
    public static boolean sameAsConduit(Path model, Map<String, Tensor> inputs, InferenceResult conduit) {
        try {
            return run(model, inputs, result -> {
                for (Map.Entry<String, Tensor> out : conduit.outputs().entrySet()) {
                    OnnxValue value = result.get(out.getKey()).orElse(null);
                    if (!(value instanceof OnnxTensor tensor)) {
                        return false;
                    }
                    Tensor conduitOutput = out.getValue();
                    boolean same = conduitOutput.type() == DataType.BYTES
                            ? java.util.Arrays.deepEquals(flat(tensor.getValue()), conduitOutput.strings())
                            : tensor.getByteBuffer().equals(conduitOutput.bytes());
                    if (!same) {
                        return false;
                    }
                }
                return true;
            });
        } catch (OrtException e) {
            return false;
        }
    }

    private static Object[] flat(Object value) {
        List<Object> out = new ArrayList<>();
        flatten(value, out);
        return out.toArray();
    }

    private static void flatten(Object value, List<Object> into) {
        if (value instanceof Object[] array) {
            for (Object o : array) {
                flatten(o, into);
            }
        } else {
            into.add(value);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test(OrtSession.Result result) throws OrtException;
    }

    private static boolean run(Path model, Map<String, Tensor> inputs, Check check) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options)) {
            options.setIntraOpNumThreads(1);
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
                Tensor given = in.getValue();
                OnnxTensor t = given.type() == DataType.BYTES
                        ? OnnxTensor.createTensor(env, given.strings(), given.shape())
                        : OnnxTensor.createTensor(env, given.bytes(), given.shape(), OrtTypes.toJavaType(given.type()));
                created.add(t);
                feed.put(in.getKey(), t);
            }
            try (OrtSession.Result result = session.run(feed)) {
                return check.test(result);
            }
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }
}
