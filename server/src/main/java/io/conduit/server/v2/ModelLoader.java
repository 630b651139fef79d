package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.pkg.ModelPackage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a repository's model versions on background threads once the service listens, as Triton
 * does: each package is verified, its session made by the engine ({@link InferenceEngine#prepare}),
 * then handed to the server (which gives it a scheduler) and marked ready, so a model answers ready
 * as soon as it can run, whatever the others are doing. A model that fails is marked unavailable
 * with the reason and logged; it never holds up the rest. {@link #await} returns when every model
 * has finished, one way or the other.
 */
public final class ModelLoader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    /** The longest {@link #close()} waits for loads under way: one model's session, on a busy machine. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final List<ModelSlot> slots;
    private final InferenceEngine engine;
    private final Consumer<ModelPackage> onReady;
    private final ExecutorService threads;
    private final CountDownLatch finished;
    private final Object closing = new Object();
    private boolean closed;

    /**
     * @param onReady called with each package before it is marked ready (under the loader's lock, so
     *                never after {@link #close()} has returned)
     * @param parallel how many models load at once
     */
    public ModelLoader(ModelRepository repository, InferenceEngine engine, Consumer<ModelPackage> onReady, int parallel) {
        this.slots = repository.slots();
        this.engine = engine;
        this.onReady = onReady;
        this.finished = new CountDownLatch(slots.size());
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, parallel), task -> {
            Thread t = new Thread(task, "conduit-load-" + count.incrementAndGet());
            t.setDaemon(true); // a load still running never keeps the JVM from exiting
            return t;
        });
    }

    /** Starts loading every model; returns at once. */
    public void start() {
        for (ModelSlot slot : slots) {
            threads.execute(() -> load(slot));
        }
        threads.shutdown();
    }

    /** Waits up to {@code timeout} for every model to be ready or unavailable; true when all are. */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether every model has finished loading, ready or not. */
    public boolean done() {
        return finished.getCount() == 0;
    }

    private void load(ModelSlot slot) {
        long started = System.nanoTime();
        try {
            ModelPackage pkg = slot.open();
            try {
                prepare(pkg);
                synchronized (closing) {
                    if (closed) {
                        pkg.close();
                        return;
                    }
                    onReady.accept(pkg);
                    slot.ready(pkg);
                }
            } catch (RuntimeException e) {
                pkg.close();
                throw e;
            }
            LOG.info("{} ready in {} ms", slot.coordinate(), (System.nanoTime() - started) / 1_000_000);
        } catch (ConduitException e) {
            slot.failed(e.describe());
            LOG.warn("{} is unavailable: {}", slot.coordinate(), e.describe());
        } catch (RuntimeException | LinkageError e) {
            // One bad package never stops the service; its stack trace is for whoever reads the log.
            slot.failed(e.toString());
            LOG.error("{} is unavailable", slot.coordinate(), e);
        } finally {
            finished.countDown();
        }
    }

    private void prepare(ModelPackage pkg) {
        try {
            engine.prepare(pkg, DevicePreference.AUTO);
        } catch (ConduitException e) {
            if (e.code() != ErrorCode.DEVICE_UNAVAILABLE) {
                throw e;
            }
            // A GPU-only model on a service whose GPU is not usable now: it stays served, as before, and each
            // call says why it cannot run (the GPU may come back; --require-gpu keeps readiness 503 meanwhile).
            LOG.warn("{}: no session made at start: {}", pkg.manifest().coordinate(), e.describe());
        }
    }

    /**
     * Stops loading: models not started are left loading, and one whose load finishes after this is
     * closed instead of served. Waits (up to {@link #FINISH_TIMEOUT}) for loads already under way, which
     * native code cannot abandon halfway: a process that exited under them would leave what they were
     * doing half done (ONNX Runtime's folder of extracted libraries in the temporary folder, for one).
     */
    @Override
    public void close() {
        synchronized (closing) {
            closed = true;
        }
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("models still loading after {} s; stopping without them", FINISH_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
