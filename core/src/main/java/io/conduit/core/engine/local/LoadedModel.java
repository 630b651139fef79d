package io.conduit.core.engine.local;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.onnx.OnnxSignature;

/**
 * An ONNX Runtime session ready to run, with the signature read from it. ONNX Runtime sessions are
 * safe to run from many threads at once, so one instance serves every caller of a model.
 */
record LoadedModel(OrtSession session, OnnxSignature signature) implements AutoCloseable {
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to release a session: " + e.getMessage(), e);
        }
    }
}
