package io.conduit.server.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.batch.BatchCache;
import io.conduit.core.batch.BatchJob;
import io.conduit.core.batch.FramePattern;
import io.conduit.core.batch.FrameRange;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.ExrOutput;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.Npy;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's file jobs ({@code POST /conduit/v1/agent/batch}): a bridge that works on files — Nuke
 * renders its input to numbered EXRs — asks the agent to run a model over a frame range of files on
 * this same workstation. It is {@code conduit batch} inside the agent: tiled when the manifest asks,
 * resumable, and cached under the agent's folder. Controls (a gizmo's knobs) become small tensor
 * files named by their content, so a changed knob is a new cache key and an unchanged one is not.
 */
final class AgentBatch {
    /** The agent has no configuration of its own yet, so its file jobs' cache keeps the setting's default bound. */
    private static final long CACHE_BOUND = Long.parseLong(io.conduit.core.config.Setting.BATCH_CACHE_MAX_MIB.defaultValue()) << 20;
    /**
     * How a file job's EXR outputs are written: ZIP, whatever the sample type. The bridge's Read node reads them
     * back every time the artist scrubs, and ZIP reads faster than PIZ (docs/benchmarks.md, "EXR outputs: PIZ
     * against ZIP for HALF"); it is also what Nuke's own Write node writes by default. The sample type follows the plate.
     */
    private static final ExrOutput READ_BACK = new ExrOutput(Optional.empty(), Optional.of(ExrCompression.ZIP), List.of());
    private final Path home;
    private final InferenceEngine engine;

    AgentBatch(Path home, InferenceEngine engine) {
        this.home = home;
        this.engine = engine;
    }

    JsonObject run(ModelPackage model, JsonObject body) {
        List<Integer> frames = FrameRange.parse(text(body, "frames", "1"));
        Map<String, FramePattern> inputs = patterns(body, "inputs");
        Map<String, FramePattern> outputs = patterns(body, "outputs");
        if (body.has("controls")) {
            for (Map.Entry<String, JsonElement> control : body.getAsJsonObject("controls").entrySet()) {
                TensorSpec spec = model.manifest().input(control.getKey()).orElseThrow(() -> new ConduitException(
                        ErrorCode.INPUT_INVALID, "control " + control.getKey() + " names no input of "
                        + model.manifest().coordinate() + "; it has " + model.manifest().inputs().stream()
                        .map(TensorSpec::name).toList()));
                inputs.put(control.getKey(), new FramePattern(controlFile(spec, control.getValue()).toString()));
            }
        }
        DevicePreference device = DevicePreference.parse(text(body, "device", "auto"));
        BatchJob job = new BatchJob(engine, model, inputs, outputs, device, new BatchCache(home.resolve("batch-cache"), CACHE_BOUND),
                BatchJob.Options.of(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                        Runtime.getRuntime().maxMemory() / 2).withExr(READ_BACK));
        List<BatchJob.FrameOutcome> outcomes = job.run(frames, (outcome, finished, total) -> { });
        JsonObject answer = new JsonObject();
        answer.addProperty("model", model.manifest().name());
        answer.addProperty("version", model.manifest().version().toString());
        JsonArray list = new JsonArray();
        for (BatchJob.FrameOutcome o : outcomes) {
            JsonObject f = new JsonObject();
            f.addProperty("frame", o.frame());
            f.addProperty("status", o.status().label());
            f.addProperty("detail", o.detail());
            f.addProperty("seconds", o.seconds());
            if (o.error() != null) {
                f.addProperty("code", o.error().searchCode());
            }
            list.add(f);
        }
        answer.add("frames", list);
        return answer;
    }

    private static Map<String, FramePattern> patterns(JsonObject body, String field) {
        if (!body.has(field) || !body.get(field).isJsonObject()) {
            throw new ConduitException(ErrorCode.USAGE, "a file job needs \"" + field + "\": {NAME: PATTERN}");
        }
        Map<String, FramePattern> patterns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : body.getAsJsonObject(field).entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                throw new ConduitException(ErrorCode.USAGE, "\"" + field + "\"." + e.getKey() + " must be a file pattern"
                        + " such as \"plate.%04d.exr\"");
            }
            patterns.put(e.getKey(), new FramePattern(e.getValue().getAsString()));
        }
        return patterns;
    }

    /** A control's value as a tensor file of the input's shape (dynamic axes 1), named by its content. */
    private Path controlFile(TensorSpec spec, JsonElement value) {
        long[] shape = spec.shape().clone();
        int count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? 1 : shape[i];
            count *= (int) shape[i];
        }
        Tensor tensor = Tensor.allocate(spec.datatype(), shape);
        for (int i = 0; i < count; i++) {
            switch (spec.datatype()) {
                case FP32 -> tensor.floats().put(i, value.getAsFloat());
                case INT32 -> tensor.ints().put(i, value.getAsInt());
                case INT64 -> tensor.longs().put(i, value.getAsLong());
                default -> throw new ConduitException(ErrorCode.INPUT_INVALID, "control " + spec.name() + " feeds a "
                        + spec.datatype() + " input; controls feed FP32, INT32 or INT64 inputs");
            }
        }
        try {
            Path staged = Files.createTempFile("conduit-control", ".npy");
            try {
                Npy.write(tensor, staged);
                byte[] bytes = Files.readAllBytes(staged);
                Path file = home.resolve("controls").resolve(Sha256.ofBytes(bytes) + ".npy");
                if (!Files.isRegularFile(file)) {
                    Files.createDirectories(file.getParent());
                    AtomicFiles.write(file, out -> out.write(bytes));
                }
                return file;
            } finally {
                Files.deleteIfExists(staged);
            }
        } catch (java.io.IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write control " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject o, String field, String fallback) {
        return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : fallback;
    }
}
