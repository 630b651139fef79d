package io.conduit.core.engine.local;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Open sessions keyed by the model file's sha256 and the device they run on, so that two packages
 * holding the same ONNX file, or many threads running one model, share one session (sessions are
 * the expensive part: graph optimisation and weight upload). A session loads once, outside any map
 * lock, while other callers of that key wait for it. Runs hold a read lock and {@link #close()} the
 * write lock, so a session is never freed under a run that is using it.
 */
final class SessionCache implements AutoCloseable {
    /**
     * A session's identity: the same bytes on the same device. Its equals and hashCode are written out: a
     * record's generated ones link through {@code ObjectMethods} on first use, which spun some 30 method-handle
     * classes with ASM in the middle of every {@code conduit run}'s first inference, and the JIT then spent a
     * fifth of a second compiling ASM on a core the model wanted.
     */
    record Key(String modelDigest, Route route, int gpuIndex) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.modelDigest.equals(modelDigest) && k.route == route && k.gpuIndex == gpuIndex;
        }

        @Override
        public int hashCode() {
            return (modelDigest.hashCode() * 31 + route.hashCode()) * 31 + gpuIndex;
        }
    }

    private final Map<Key, CompletableFuture<LoadedModel>> sessions = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /** Applies {@code use} to the session for {@code key}, loading it with {@code loader} the first time. */
    <T> T withSession(Key key, Supplier<LoadedModel> loader, Function<LoadedModel, T> use) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new ConduitException(ErrorCode.USAGE, "the local engine is closed; create a new one");
            }
            CompletableFuture<LoadedModel> existing = sessions.get(key);
            CompletableFuture<LoadedModel> mine = null;
            if (existing == null) {
                mine = new CompletableFuture<>();
                existing = sessions.putIfAbsent(key, mine);
            }
            if (existing == null) {
                try {
                    mine.complete(loader.get());
                } catch (RuntimeException e) {
                    sessions.remove(key, mine); // the next caller tries again
                    mine.completeExceptionally(e);
                    throw e;
                }
                existing = mine;
            }
            return use.apply(join(existing));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static LoadedModel join(CompletableFuture<LoadedModel> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<RuntimeException> failures = new ArrayList<>();
            for (CompletableFuture<LoadedModel> future : sessions.values()) {
                if (future.isDone() && !future.isCompletedExceptionally()) {
                    try {
                        future.join().close();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }
            sessions.clear();
            if (!failures.isEmpty()) {
                IllegalStateException all = new IllegalStateException(failures.size() + " sessions failed to close");
                failures.forEach(all::addSuppressed);
                throw all;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
