package io.conduit.core.engine.local;

import io.conduit.core.engine.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Open sessions keyed by the model file's sha256 and the device they run on, so that two packages
 * holding the same ONNX file, or two threads running one model, share one session (sessions are
 * the expensive part: graph optimisation and weight upload). Closing the cache closes them all.
 */
final class SessionCache implements AutoCloseable {
    /** A session's identity: the same bytes on the same device. */
    record Key(String modelDigest, Route route, int gpuIndex) {
    }

    private final Map<Key, LoadedModel> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The cached session for {@code key}, loading it once (other callers of that key wait). */
    LoadedModel get(Key key, Supplier<LoadedModel> loader) {
        if (closed) {
            throw new IllegalStateException("the local engine is closed");
        }
        return sessions.computeIfAbsent(key, k -> loader.get());
    }

    int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (LoadedModel model : sessions.values()) {
            try {
                model.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        sessions.clear();
        if (!failures.isEmpty()) {
            IllegalStateException all = new IllegalStateException(failures.size() + " sessions failed to close");
            failures.forEach(all::addSuppressed);
            throw all;
        }
    }
}
