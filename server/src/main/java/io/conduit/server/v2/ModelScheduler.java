package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Batches;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.ServerMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one model version's requests from a bounded queue on a fixed number of worker threads
 * ("instances"). When the model's first axis is a batch axis on every input and output, a worker
 * joins queued requests with the same trailing shapes into one run of up to {@code maxBatchSize}
 * rows, waiting at most {@code maxQueueDelay} for company, and splits the outputs back. A full
 * queue is refused at once (503) rather than growing without bound.
 */
public final class ModelScheduler implements AutoCloseable {
    private final ModelPackage model;
    private final InferenceEngine engine;
    private final BatchingConfig config;
    private final ServerMetrics metrics;
    private final boolean batchable;
    private final LinkedBlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean accepting = true;

    public ModelScheduler(ModelPackage model, InferenceEngine engine, BatchingConfig config, ServerMetrics metrics) {
        this.model = model;
        this.engine = engine;
        this.config = config;
        this.metrics = metrics;
        this.batchable = config.maxBatchSize() > 1 && hasBatchAxis(model.manifest());
        this.queue = new LinkedBlockingQueue<>(config.queueCapacity());
        for (int i = 0; i < config.instances(); i++) {
            Thread worker = new Thread(this::work, "conduit-" + model.manifest().coordinate() + "-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    static boolean hasBatchAxis(Manifest manifest) {
        // Triton's rule, the one the export writes as max_batch_size: a leading dynamic axis alone is not a
        // batch axis (a [rows, cols] table whose rows interact would be joined with other requests' rows and
        // answer differently); the tensors' layouts must say so.
        return manifest.hasBatchAxis();
    }

    public boolean batchable() {
        return batchable;
    }

    /** Queues a request for the automatic route; the future completes with its own outputs. */
    CompletableFuture<InferenceResult> submit(Map<String, Tensor> inputs) {
        return submit(inputs, DevicePreference.AUTO);
    }

    /** Queues a request that must run on {@code device}'s routes; only requests for the same device share a batch. */
    CompletableFuture<InferenceResult> submit(Map<String, Tensor> inputs, DevicePreference device) {
        Job job = new Job(inputs, System.nanoTime(), device);
        if (!accepting) {
            throw new ConduitException(ErrorCode.OVERLOADED, model.manifest().coordinate() + " is shutting down");
        }
        if (!queue.offer(job)) {
            throw new ConduitException(ErrorCode.OVERLOADED, model.manifest().coordinate() + " has "
                    + config.queueCapacity() + " requests queued, the most it accepts; retry shortly");
        }
        return job.result;
    }

    private void work() {
        Job carried = null; // a job that could not join the last batch starts the next one
        while (true) {
            Job first = carried;
            carried = null;
            if (first == null) {
                try {
                    first = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (first == null) {
                if (!accepting) {
                    return;
                }
                continue;
            }
            List<Job> batch = new ArrayList<>(List.of(first));
            carried = gather(first, batch);
            try {
                execute(batch);
            } catch (Throwable unexpected) {
                // Never let a worker die: a dead worker would leave every later request hanging.
                batch.forEach(job -> job.result.completeExceptionally(unexpected));
            }
        }
    }

    /** Adds queued jobs that can join {@code first} to {@code batch}; returns one that cannot, if taken out. */
    private Job gather(Job first, List<Job> batch) {
        if (!batchable || !first.uniformRows()) {
            return null;
        }
        long rows = first.rows();
        long deadline = System.nanoTime() + config.maxQueueDelay().toNanos();
        while (rows < config.maxBatchSize()) {
            Job next;
            try {
                long wait = deadline - System.nanoTime();
                next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (next == null) {
                return null;
            }
            if (!next.uniformRows() || !first.joinableWith(next) || rows + next.rows() > config.maxBatchSize()) {
                return next;
            }
            batch.add(next);
            rows += next.rows();
        }
        return null;
    }

    private void execute(List<Job> batch) {
        String name = model.manifest().name();
        String version = model.manifest().version().toString();
        long start = System.nanoTime();
        batch.forEach(job -> metrics.queued(name, version, start - job.enqueued));
        try {
            if (batch.size() == 1) {
                InferenceResult result = engine.run(model, batch.get(0).inputs, batch.get(0).device);
                metrics.computed(name, version, result.computeNanos(), 1);
                batch.get(0).result.complete(result);
                return;
            }
            Map<String, Tensor> joined = new LinkedHashMap<>();
            for (String input : batch.get(0).inputs.keySet()) {
                joined.put(input, Batches.join(batch.stream().map(j -> j.inputs.get(input)).toList()));
            }
            InferenceResult result = engine.run(model, joined, batch.get(0).device);
            metrics.computed(name, version, result.computeNanos(), batch.size());
            long offset = 0;
            long totalRows = batch.stream().mapToLong(Job::rows).sum();
            for (Job job : batch) {
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> out : result.outputs().entrySet()) {
                    if (out.getValue().shape()[0] != totalRows) {
                        throw new ConduitException(ErrorCode.INFERENCE_FAILED, "output " + out.getKey() + " has "
                                + out.getValue().shape()[0] + " rows for a batch of " + totalRows
                                + "; the model's first axis is not a batch axis (set maxBatchSize to 1)");
                    }
                    outputs.put(out.getKey(), Batches.slice(out.getValue(), offset, job.rows()));
                }
                offset += job.rows();
                job.result.complete(new InferenceResult(outputs, result.route(), result.computeNanos(),
                        System.nanoTime() - job.enqueued));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
            // One caller's data may have failed the joined run: run each alone so only that caller fails.
            for (Job job : batch) {
                execute(List.of(job));
            }
        }
    }

    /**
     * Stops taking requests and lets the workers finish what is queued; anything still queued after
     * that (a request that slipped in as the workers left) is failed, never left waiting.
     */
    @Override
    public void close() {
        closeAll(List.of(this));
    }

    /**
     * Closes many schedulers at once: all stop taking requests first, then each is waited for, so
     * their idle workers leave together (each notices within its 100 ms poll) instead of one model
     * after another; one at a time, 363 models took about 20 s to shut down.
     */
    public static void closeAll(java.util.Collection<ModelScheduler> schedulers) {
        schedulers.forEach(s -> s.accepting = false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ModelScheduler s : schedulers) {
            for (Thread worker : s.workers) {
                try {
                    worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            s.failStranded();
        }
    }

    private void failStranded() {
        for (Job stranded; (stranded = queue.poll()) != null; ) {
            stranded.result.completeExceptionally(new ConduitException(ErrorCode.OVERLOADED,
                    model.manifest().coordinate() + " shut down before this request ran; retry on another service"));
        }
    }

    /** One queued request. */
    private static final class Job {
        final Map<String, Tensor> inputs;
        final long enqueued;
        final DevicePreference device;
        final CompletableFuture<InferenceResult> result = new CompletableFuture<>();

        Job(Map<String, Tensor> inputs, long enqueued, DevicePreference device) {
            this.inputs = inputs;
            this.enqueued = enqueued;
            this.device = device;
        }

        long rows() {
            Tensor any = inputs.values().iterator().next();
            return any.shape().length == 0 ? 1 : any.shape()[0];
        }

        /**
         * Whether every input has the same number of rows, so the job can be cut out of a batch again; a job of
         * zero rows (an empty tensor) runs alone, since the batch's outputs may not keep an empty job's place.
         */
        boolean uniformRows() {
            return rows() > 0 && inputs.values().stream().allMatch(t -> t.shape().length > 0 && t.shape()[0] == rows());
        }

        boolean joinableWith(Job other) {
            if (device != other.device || !inputs.keySet().equals(other.inputs.keySet())) {
                return false;
            }
            for (String name : inputs.keySet()) {
                if (!Batches.joinable(List.of(inputs.get(name), other.inputs.get(name)))) {
                    return false;
                }
            }
            return true;
        }
    }
}
