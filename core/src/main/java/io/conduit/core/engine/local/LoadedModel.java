package io.conduit.core.engine.local;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.onnx.SignatureCheck;

/**
 * An ONNX Runtime session ready to run, with the signature read from it. ONNX Runtime sessions are
 * safe to run from many threads at once, so one instance serves every caller of a model. It remembers
 * the last manifest found to describe it, so a run of the same package does not compare the two again
 * (the comparison builds its messages' strings, measurable on a 20 ms model).
 */
final class LoadedModel implements AutoCloseable {
    private final OrtSession session;
    private final OnnxSignature signature;
    private volatile Manifest lastMatched;

    LoadedModel(OrtSession session, OnnxSignature signature) {
        this.session = session;
        this.signature = signature;
    }

    OrtSession session() {
        return session;
    }

    OnnxSignature signature() {
        return signature;
    }

    /**
     * Checks that {@code manifest} describes this session's model ({@link SignatureCheck}); sessions are
     * cached by the model's digest, and another package may share these bytes but describe them differently.
     */
    void requireDescribedBy(Manifest manifest) {
        if (manifest != lastMatched) {
            SignatureCheck.check(manifest, signature);
            lastMatched = manifest;
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to release a session: " + e.getMessage(), e);
        }
    }
}
