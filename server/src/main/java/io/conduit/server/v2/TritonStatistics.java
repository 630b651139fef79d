package io.conduit.server.v2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cumulative per-version counters in the shape of Triton's statistics extension
 * ({@code GET /v2/models[/NAME[/versions/N]]/stats}, the {@code ModelStatistics} message), so
 * Triton's tooling reads {@code conduit serve} as it reads Triton. {@code inference_count} counts
 * requests (each may carry several rows), {@code execution_count} runs of the model (the
 * scheduler may join requests into one run), {@code batch_stats} runs by number of requests
 * joined. Times are nanoseconds; cache and per-response statistics stay zero (there is no
 * response cache).
 */
public final class TritonStatistics {
    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

    private record Key(String model, String version) {
    }

    private static final class Counters {
        long lastInferenceMs;
        long inferences;
        long executions;
        final long[] success = new long[2];
        final long[] fail = new long[2];
        final long[] queue = new long[2];
        final long[] computeInfer = new long[2];
        final Map<Integer, long[]> batches = new TreeMap<>();
    }

    private Counters of(String model, String version) {
        return counters.computeIfAbsent(new Key(model, version), k -> new Counters());
    }

    public void queued(String model, String version, long nanos) {
        Counters c = of(model, version);
        synchronized (c) {
            add(c.queue, nanos);
        }
    }

    public void executed(String model, String version, long nanos, int requestsInBatch) {
        Counters c = of(model, version);
        synchronized (c) {
            c.executions++;
            add(c.computeInfer, nanos);
            add(c.batches.computeIfAbsent(requestsInBatch, b -> new long[2]), nanos);
        }
    }

    public void finished(String model, String version, long totalNanos, boolean succeeded, long atMillis) {
        Counters c = of(model, version);
        synchronized (c) {
            if (succeeded) {
                c.inferences++;
                c.lastInferenceMs = Math.max(c.lastInferenceMs, atMillis);
                add(c.success, totalNanos);
            } else {
                add(c.fail, totalNanos);
            }
        }
    }

    private static void add(long[] countAndNanos, long nanos) {
        countAndNanos[0]++;
        countAndNanos[1] += Math.max(0, nanos);
    }

    /** One {@code model_stats} entry for {@code model} at semantic {@code version}, listed as {@code number}. */
    JsonObject json(String model, String version, long number) {
        Counters c = counters.getOrDefault(new Key(model, version), new Counters());
        JsonObject o = new JsonObject();
        synchronized (c) {
            o.addProperty("name", model);
            o.addProperty("version", Long.toString(number));
            o.addProperty("last_inference", c.lastInferenceMs);
            o.addProperty("inference_count", c.inferences);
            o.addProperty("execution_count", c.executions);
            JsonObject stats = new JsonObject();
            stats.add("success", duration(c.success));
            stats.add("fail", duration(c.fail));
            stats.add("queue", duration(c.queue));
            stats.add("compute_input", duration(new long[2]));
            stats.add("compute_infer", duration(c.computeInfer));
            stats.add("compute_output", duration(new long[2]));
            stats.add("cache_hit", duration(new long[2]));
            stats.add("cache_miss", duration(new long[2]));
            o.add("inference_stats", stats);
            o.add("response_stats", new JsonObject());
            JsonArray batches = new JsonArray();
            c.batches.forEach((size, d) -> {
                JsonObject b = new JsonObject();
                b.addProperty("batch_size", size);
                b.add("compute_input", duration(new long[]{d[0], 0}));
                b.add("compute_infer", duration(d));
                b.add("compute_output", duration(new long[]{d[0], 0}));
                batches.add(b);
            });
            o.add("batch_stats", batches);
            o.add("memory_usage", new JsonArray());
        }
        return o;
    }

    private static JsonObject duration(long[] countAndNanos) {
        JsonObject d = new JsonObject();
        d.addProperty("count", countAndNanos[0]);
        d.addProperty("ns", countAndNanos[1]);
        return d;
    }
}
