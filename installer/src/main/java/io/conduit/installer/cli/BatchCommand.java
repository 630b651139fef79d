package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.batch.BatchCache;
import io.conduit.core.batch.BatchJob;
import io.conduit.core.batch.FramePattern;
import io.conduit.core.batch.FrameRange;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code conduit batch}: the farm's precompute job, one model over a frame range of numbered files.
 * Frames run in parallel within a memory budget, with progress on stderr (a bar on a terminal, a plain
 * line per tenth in a log); frames already done
 * are verified and skipped, and results are cached by model and input digests, so a re-run is instant.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Runs a model over a frame range: conduit batch MODEL -i 'plate.%%04d.exr' --frames 1001-1100"
                + " -o 'out.%%04d.exr'.",
                "Frame tokens: %%04d (printf) or #### (one # per digit); a file without one is the same for every frame.",
                "Resumable: frames whose outputs match the cache are skipped; cached frames are copied, not run"
                        + " (--force runs them all). --device remote is never answered from another route's results."})
final class BatchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PACKAGE", description = "A package folder or .zip, or a registry model"
            + " (NAME, NAME@VERSION or NAME@ALIAS).")
    String packageReference;

    @Mixin
    RegistryOptions registry;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=PATTERN", required = true,
            description = "An input's numbered files; NAME= may be left out when the model has one input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "NAME=PATTERN", required = true,
            description = "Where each frame's output goes; NAME= may be left out when the model has one output.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--frames", paramLabel = "RANGE", required = true,
            description = "Frames: FIRST-LAST[xSTEP] or FRAME, comma-separated (e.g. 1001-1100, 1001-1100x2).")
    String frames;

    @Option(names = "--jobs", paramLabel = "N", description = "Frames in parallel. Default: the number of cores.")
    Integer jobs;

    @Option(names = "--memory-mb", paramLabel = "MB", description = "Memory the frames in flight may use together"
            + " (each frame counts about three times its inputs). Default: half the JVM's maximum heap.")
    Long memoryMb;

    @Option(names = "--batch-cache", paramLabel = "DIR", description = "Where results are cached. Default: the cache"
            + " folder's batch/ (shared by every job on this machine), kept within batchCache.maxMiB.")
    Path batchCache;

    @Option(names = "--force", description = "Run every frame again, even those whose outputs are done or cached,"
            + " and cache the new results in place of the old.")
    boolean force;

    @Mixin
    EngineOptions engine;

    @Mixin
    ExrOptions exr;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Integer> frameList = FrameRange.parse(frames);
        PhaseClock clock = new PhaseClock();
        try (CommandSession session = CommandSession.open(engine);
             ModelPackage pkg = session.open(packageReference, registry, spec.commandLine().getErr())) {
            clock.end("open");
            Manifest manifest = pkg.manifest();
            Map<String, FramePattern> in = patterns(FileBindings.parse(inputs, manifest.inputs(), "input"));
            Map<String, FramePattern> out = patterns(FileBindings.parse(outputs, manifest.outputs(), "output"));
            long budget = memoryMb != null ? memoryMb << 20 : Runtime.getRuntime().maxMemory() / 2;
            int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
            if (parallel < 1 || budget <= 0) {
                throw new ConduitException(ErrorCode.USAGE, "--jobs and --memory-mb must be positive");
            }
            BatchCache cache = registry.batchCache(batchCache);
            BatchJob job = new BatchJob(session.engine(), pkg, in, out, session.device(), cache,
                    BatchJob.Options.of(parallel, budget).withExr(exr.settings()).withForce(force));
            List<BatchJob.FrameOutcome> outcomes;
            try (ProgressMeter bar = ProgressMeter.open(manifest.coordinate(), frameList.size(), " frames", 1)) {
                outcomes = job.run(frameList, (outcome, finished, total) -> bar.stepTo(finished));
            }
            clock.end("frames");
            return report(manifest, outcomes, clock);
        }
    }

    private int report(Manifest manifest, List<BatchJob.FrameOutcome> outcomes, PhaseClock clock) {
        Map<BatchJob.Status, Integer> counts = new EnumMap<>(BatchJob.Status.class);
        JsonArray frames = new JsonArray();
        BatchJob.FrameOutcome firstFailure = null;
        for (BatchJob.FrameOutcome o : outcomes) {
            counts.merge(o.status(), 1, Integer::sum);
            JsonObject f = new JsonObject();
            f.addProperty("frame", o.frame());
            f.addProperty("status", o.status().label());
            f.addProperty("detail", o.detail());
            f.addProperty("seconds", Math.round(o.seconds() * 1000) / 1000.0);
            frames.add(f);
            if (o.status() == BatchJob.Status.FAILED && firstFailure == null) {
                firstFailure = o;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("model", manifest.coordinate());
            for (BatchJob.Status s : BatchJob.Status.values()) {
                o.addProperty(s.label(), counts.getOrDefault(s, 0));
            }
            o.add("frames", frames);
            o.add("timings", clock.toJson(0));
            json.print(out, o);
        } else {
            out.printf("%s: %d frame(s): %d ran, %d copied from the cache, %d already done, %d failed%n",
                    manifest.coordinate(), outcomes.size(), counts.getOrDefault(BatchJob.Status.RAN, 0),
                    counts.getOrDefault(BatchJob.Status.CACHED, 0), counts.getOrDefault(BatchJob.Status.DONE_BEFORE, 0),
                    counts.getOrDefault(BatchJob.Status.FAILED, 0));
            double frameSeconds = outcomes.stream().mapToDouble(BatchJob.FrameOutcome::seconds).sum();
            out.printf("  time: %s (frames took %.2f s together, read, infer and write, in parallel)%n",
                    clock.describe(0).replace(" (ONNX Runtime 0.0 ms)", ""), frameSeconds);
            outcomes.stream().filter(o -> o.status() == BatchJob.Status.FAILED)
                    .forEach(o -> out.println("  frame " + o.frame() + " failed: " + o.detail()));
        }
        out.flush();
        return firstFailure == null ? 0 : firstFailure.error().exitStatus();
    }

    private static Map<String, FramePattern> patterns(Map<String, Path> bound) {
        Map<String, FramePattern> patterns = new LinkedHashMap<>();
        bound.forEach((name, path) -> patterns.put(name, new FramePattern(path.toString())));
        return patterns;
    }

}
