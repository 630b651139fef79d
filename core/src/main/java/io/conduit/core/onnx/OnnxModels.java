package io.conduit.core.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.tensor.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens ONNX files with ONNX Runtime on the CPU to read their signature, turning ONNX Runtime's
 * failures into errors that say the file is corrupt, and a valid model whose ports Conduit cannot
 * carry (sequences, maps, optionals, complex or 8-bit float elements) into an error that says exactly that.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** Reads the signature of the ONNX file at {@code modelFile}. */
    public static OnnxSignature readSignature(Path modelFile) {
        if (!Files.isRegularFile(modelFile)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no ONNX file at " + modelFile);
        }
        ExternalData.locations(modelFile); // a missing weights file named as such, not as a corrupt model
        OrtEnvironment env = OrtEnv.get();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = openSession(env, modelFile, options)) {
                return signatureOf(session, modelFile);
            }
        } catch (OrtException e) {
            throw new ConduitException(ErrorCode.MODEL_CORRUPT, modelFile + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Creates a session, reporting a file ONNX Runtime cannot parse as a corrupt model. */
    public static OrtSession openSession(OrtEnvironment env, Path modelFile, OrtSession.SessionOptions options) {
        try {
            return env.createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            String opset = OnnxOpset.hint(modelFile);
            throw new ConduitException(ErrorCode.MODEL_CORRUPT, modelFile + " is not a model ONNX Runtime can load"
                    + (opset.isEmpty() ? " (corrupt, truncated, or using operators this runtime lacks)" : "") + ": "
                    + e.getMessage() + opset, e);
        }
    }

    /** The signature of an open session. */
    public static OnnxSignature signatureOf(OrtSession session, Path modelFile) throws OrtException {
        String producer = "";
        String graph = "";
        try {
            var metadata = session.getMetadata();
            producer = metadata.getProducerName();
            graph = metadata.getGraphName();
        } catch (OrtException ignored) {
            // metadata is informative only
        }
        return new OnnxSignature(ports(session.getInputInfo(), modelFile, true), ports(session.getOutputInfo(), modelFile, false),
                producer, graph);
    }

    private static List<OnnxSignature.Port> ports(Map<String, NodeInfo> infos, Path modelFile, boolean inputs) {
        String side = inputs ? "input" : "output";
        List<OnnxSignature.Port> ports = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            String port = modelFile + ": " + side + " \"" + node.getName() + "\"";
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new ConduitException(ErrorCode.MODEL_UNSUPPORTED, port + " is " + kindOf(node.getInfo())
                        + "; Conduit carries only tensors, so it cannot run this model. Export the model with tensor"
                        + " inputs and outputs (e.g. without ZipMap, or with the sequence split into tensors)");
            }
            var type = OrtTypes.fromOnnx(info.onnxType).orElseThrow(() -> new ConduitException(ErrorCode.MODEL_UNSUPPORTED,
                    port + " has element type " + info.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                            + ", which Conduit does not carry; it carries " + DataType.supportedNames()));
            if (inputs && !OrtTypes.canCreate(type)) {
                throw new ConduitException(ErrorCode.MODEL_UNSUPPORTED, port + " is " + type + ", which ONNX Runtime's"
                        + " Java API cannot build (it has no unsigned 16-, 32- or 64-bit tensors), so Conduit cannot feed"
                        + " this model; outputs of that type are carried. Cast the input inside the model from a signed"
                        + " type of the same width");
            }
            String[] names = info.getDimensionNames();
            if (names == null || names.length != info.getShape().length) {
                names = new String[info.getShape().length];
                java.util.Arrays.fill(names, "");
            }
            ports.add(new OnnxSignature.Port(node.getName(), type, info.getShape(), names));
        }
        return ports;
    }

    private static String kindOf(ValueInfo info) {
        if (info instanceof SequenceInfo) {
            return "a sequence";
        }
        if (info instanceof MapInfo) {
            return "a map";
        }
        // ONNX Runtime's Java API describes optional ports as an unknown kind of value.
        return "an optional or other non-tensor value (" + info + ")";
    }
}
