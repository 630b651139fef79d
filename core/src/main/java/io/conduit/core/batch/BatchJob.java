package io.conduit.core.batch;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.tiling.TiledInference;
import io.conduit.core.io.ExrOutput;
import io.conduit.core.io.TensorFiles;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A frame-range job, the farm's precompute: one model over numbered input files into numbered output
 * files, for any package (images tiled when the manifest asks). Frames run in parallel, but a frame
 * starts only when its estimated memory fits the budget, and on a local route the model runs one frame
 * at a time while other frames are read and written. It is resumable and cached: a frame whose
 * outputs already hold what the cache recorded for the same model and inputs is skipped, one the cache
 * holds is copied out without running, and every frame that runs is stored. A frame that fails is
 * reported and the others carry on. A cache entry answers only a run it proves to be the same computation
 * ({@link BatchCache.Filler#answers}: another route's results answer a remote run only when the package
 * digests are the same), and
 * {@link Options#force()} runs every frame again and replaces what the cache held.
 */
public final class BatchJob {
    /** What became of a frame. */
    public enum Status {
        RAN, CACHED, DONE_BEFORE, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One frame's outcome, with the route it ran on and why it failed, if it did. */
    public record FrameOutcome(int frame, Status status, String detail, double seconds, ErrorCode error) {
    }

    /**
     * How a job runs: frames in parallel, the memory they may use together, how EXR outputs are written,
     * and whether to recompute every frame (ignoring finished outputs and the cache, then storing afresh).
     */
    public record Options(int jobs, long memoryBudgetBytes, ExrOutput exr, boolean force) {
        public Options {
            exr = java.util.Objects.requireNonNullElse(exr, ExrOutput.DEFAULTS);
        }

        public static Options of(int jobs, long memoryBudgetBytes) {
            return new Options(jobs, memoryBudgetBytes, ExrOutput.DEFAULTS, false);
        }

        public Options withExr(ExrOutput settings) {
            return new Options(jobs, memoryBudgetBytes, settings, force);
        }

        public Options withForce(boolean recompute) {
            return new Options(jobs, memoryBudgetBytes, exr, recompute);
        }
    }

    /** Told of every finished frame, from worker threads. */
    public interface Listener {
        void frameDone(FrameOutcome outcome, int finished, int total);
    }

    private final InferenceEngine engine;
    private final ModelPackage model;
    private final Map<String, FramePattern> inputs;
    private final Map<String, FramePattern> outputs;
    private final DevicePreference device;
    private final BatchCache cache;
    private final int jobs;
    private final long budgetMiB;
    private final ExrOutput exr;
    private final boolean force;
    private final String packageDigest;

    public BatchJob(InferenceEngine engine, ModelPackage model, Map<String, FramePattern> inputs,
                    Map<String, FramePattern> outputs, DevicePreference device, BatchCache cache, int jobs,
                    long memoryBudgetBytes) {
        this(engine, model, inputs, outputs, device, cache, Options.of(jobs, memoryBudgetBytes));
    }

    public BatchJob(InferenceEngine engine, ModelPackage model, Map<String, FramePattern> inputs,
                    Map<String, FramePattern> outputs, DevicePreference device, BatchCache cache, Options options) {
        this.engine = engine;
        this.model = model;
        this.inputs = Map.copyOf(inputs);
        this.outputs = Map.copyOf(outputs);
        this.device = device;
        this.cache = cache;
        this.jobs = Math.max(1, options.jobs());
        this.budgetMiB = Math.max(1, options.memoryBudgetBytes() >> 20);
        this.exr = options.exr();
        this.force = options.force();
        this.packageDigest = BatchCache.packageDigest(model);
        Manifest m = model.manifest();
        for (String name : outputs.keySet()) {
            TensorFiles.checkWritable(outputs.get(name).frame(0), m.output(name).orElseThrow());
        }
        if (outputs.values().stream().noneMatch(FramePattern::varies) && inputs.values().stream().anyMatch(FramePattern::varies)) {
            throw new ConduitException(ErrorCode.USAGE, "every frame would write the same output file; put a frame token"
                    + " (%04d or ####) in --output");
        }
    }

    /** Runs every frame and returns their outcomes in frame order. */
    public List<FrameOutcome> run(List<Integer> frames, Listener listener) {
        Semaphore memory = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetMiB), true);
        Semaphore modelGate = modelGate();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, frames.size())), r -> {
            Thread t = new Thread(r, "conduit-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FrameOutcome>> pending = new ArrayList<>();
            for (int frame : frames) {
                pending.add(pool.submit(() -> {
                    FrameOutcome outcome = frame(frame, memory, modelGate);
                    listener.frameDone(outcome, finished.incrementAndGet(), frames.size());
                    return outcome;
                }));
            }
            List<FrameOutcome> outcomes = new ArrayList<>();
            for (Future<FrameOutcome> f : pending) {
                outcomes.add(f.get());
            }
            cache.prune(); // once per job: walking the cache after every frame would cost more than the frames
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERNAL, "the batch job was interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConduitException(ErrorCode.INTERNAL, "a batch worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One model run at a time on a local route: ONNX Runtime already spreads one run over every core, and
     * two at once on a CPU took 2.5 times as long as one after the other (their threads and working memory
     * fight), while reading and writing other frames overlap the run instead. A service takes concurrent
     * requests (and may batch them), so remote routes are not gated. Null for no gate.
     */
    private Semaphore modelGate() {
        try {
            return engine.plan(model, device).route() == io.conduit.core.engine.Route.REMOTE ? null : new Semaphore(1, true);
        } catch (ConduitException e) {
            return new Semaphore(1, true); // every frame will say why it cannot run
        }
    }

    private FrameOutcome frame(int frame, Semaphore memory, Semaphore modelGate) {
        long started = System.nanoTime();
        Map<String, Path> in = resolve(inputs, frame);
        Map<String, Path> out = resolve(outputs, frame);
        try {
            for (Map.Entry<String, Path> e : in.entrySet()) {
                if (!Files.isRegularFile(e.getValue())) {
                    throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "input " + e.getKey() + " " + e.getValue()
                            + " does not exist");
                }
            }
            String key = BatchCache.key(model, in, out, exr.describe());
            Optional<BatchCache.Filler> stored = cache.filler(key);
            boolean usable = !force && stored.filter(f -> f.answers(device, packageDigest)).isPresent();
            if (usable && cache.outputsMatch(key, out)) {
                return outcome(frame, Status.DONE_BEFORE, "outputs verified against the cache", started, null);
            }
            if (usable && cache.restore(key, out)) {
                return outcome(frame, Status.CACHED, "copied from the cache", started, null);
            }
            Manifest m = model.manifest();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            long bytes = 0;
            for (Map.Entry<String, Path> e : in.entrySet()) {
                Tensor t = TensorFiles.read(e.getValue(), m.input(e.getKey()).orElseThrow());
                tensors.put(e.getKey(), t);
                bytes += t.byteCount();
            }
            ExrOutput frameExr = exr.withChannelsOf(m, in);
            // Inputs, outputs and the engine's working set: about three times the inputs.
            int permits = (int) Math.min(budgetMiB, Math.max(1, (3 * bytes) >> 20));
            memory.acquireUninterruptibly(permits);
            InferenceResult result;
            try {
                result = infer(tensors, modelGate);
                for (Map.Entry<String, Path> e : out.entrySet()) {
                    Path parent = e.getValue().toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    TensorFiles.write(result.output(e.getKey()), m.output(e.getKey()).orElseThrow(), e.getValue(), frameExr);
                }
            } finally {
                memory.release(permits);
            }
            if (stored.isPresent()) {
                cache.drop(key); // refused or forced: the new result replaces it
            }
            cache.store(key, out, new BatchCache.Filler(result.route().route().label(),
                    result.route().packageConfirmed() ? Optional.of(packageDigest) : Optional.empty()));
            return outcome(frame, Status.RAN, result.route().route().label(), started, null);
        } catch (ConduitException e) {
            return outcome(frame, Status.FAILED, e.getMessage(), started, e.code());
        } catch (java.io.IOException e) {
            return outcome(frame, Status.FAILED, e.toString(), started, ErrorCode.IO_ERROR);
        } catch (RuntimeException e) {
            return outcome(frame, Status.FAILED, e.toString(), started, ErrorCode.INFERENCE_FAILED);
        }
    }

    private InferenceResult infer(Map<String, Tensor> tensors, Semaphore modelGate) {
        if (modelGate == null) {
            return TiledInference.run(engine, model, tensors, device, true);
        }
        modelGate.acquireUninterruptibly();
        try {
            return TiledInference.run(engine, model, tensors, device, true);
        } finally {
            modelGate.release();
        }
    }

    private static Map<String, Path> resolve(Map<String, FramePattern> patterns, int frame) {
        Map<String, Path> files = new LinkedHashMap<>();
        patterns.forEach((name, pattern) -> files.put(name, pattern.frame(frame)));
        return files;
    }

    private static FrameOutcome outcome(int frame, Status status, String detail, long started, ErrorCode error) {
        return new FrameOutcome(frame, status, detail, (System.nanoTime() - started) / 1e9, error);
    }
}
