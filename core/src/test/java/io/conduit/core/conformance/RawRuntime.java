package io.conduit.core.conformance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.onnx.OrtTypes;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime run directly on a model file, without Conduit's packages or engine: the baseline. */
final class RawRuntime {
    private RawRuntime() {
    }

    /** ONNX Runtime's own error for these inputs, or null when it runs them. */
    static String refusal(Path model, Map<String, Tensor> inputs) {
        try {
            run(model, inputs, result -> true);
            return null;
        } catch (OrtException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Whether ONNX Runtime alone gives exactly Conduit's outputs for these inputs. */
    static boolean sameAsConduit(Path model, Map<String, Tensor> inputs, InferenceResult conduit) {
        try {
            return run(model, inputs, result -> {
                for (Map.Entry<String, Tensor> out : conduit.outputs().entrySet()) {
                    OnnxValue value = result.get(out.getKey()).orElse(null);
                    if (!(value instanceof OnnxTensor tensor) || !tensor.getByteBuffer().equals(out.getValue().bytes())) {
                        return false;
                    }
                }
                return true;
            });
        } catch (OrtException e) {
            return false;
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
                OnnxTensor t = OnnxTensor.createTensor(env, in.getValue().bytes(), in.getValue().shape(),
                        OrtTypes.toJavaType(in.getValue().type()));
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
