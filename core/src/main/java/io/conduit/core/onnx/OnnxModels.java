package io.conduit.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens ONNX files with ONNX Runtime on the CPU to read their signature, turning ONNX Runtime's
 * failures into errors that say the file is corrupt (or uses something Conduit cannot carry).
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** Reads the signature of the ONNX file at {@code modelFile}. */
    public static OnnxSignature readSignature(Path modelFile) {
        if (!Files.isRegularFile(modelFile)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no ONNX file at " + modelFile);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
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
            throw new ConduitException(ErrorCode.MODEL_CORRUPT, modelFile + " is not a model ONNX Runtime can load"
                    + " (corrupt, truncated, or using operators this runtime lacks): " + e.getMessage(), e);
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
        return new OnnxSignature(ports(session.getInputInfo(), modelFile), ports(session.getOutputInfo(), modelFile),
                producer, graph);
    }

    private static List<OnnxSignature.Port> ports(Map<String, NodeInfo> infos, Path modelFile) {
        List<OnnxSignature.Port> ports = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new ConduitException(ErrorCode.MODEL_CORRUPT, modelFile + ": " + node.getName() + " is a "
                        + node.getInfo().getClass().getSimpleName() + "; Conduit carries only tensors");
            }
            var type = OrtTypes.fromOnnx(info.onnxType).orElseThrow(() -> new ConduitException(ErrorCode.MODEL_CORRUPT,
                    modelFile + ": " + node.getName() + " has element type " + info.onnxType
                            + "; Conduit carries " + io.conduit.core.tensor.DataType.supportedNames()));
            String[] names = info.getDimensionNames();
            if (names == null || names.length != info.getShape().length) {
                names = new String[info.getShape().length];
                java.util.Arrays.fill(names, "");
            }
            ports.add(new OnnxSignature.Port(node.getName(), type, info.getShape(), names));
        }
        return ports;
    }
}
