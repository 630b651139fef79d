package io.conduit.server.telemetry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One record per inference — model@version, route (and endpoint), where the time went (queue,
 * transfer, compute), input size, success or error code, whether it was a fallback — kept in a bounded
 * window (the newest {@value #CAPACITY}) for {@code /conduit/v1/stats} and {@code conduit stats}. The
 * agent forwards its records to the service, which keeps them beside its own, marked with the source.
 */
public final class Telemetry {
    public static final int CAPACITY = 100_000;
    /** The longest text field a forwarded record may carry (a model name, a route, an endpoint URL). */
    static final int MAX_FIELD_CHARS = 256;

    /** One inference. {@code code} is empty on success. */
    public record Sample(Instant at, String source, String model, String version, String route, String endpoint,
                         double queueMs, double transferMs, double computeMs, double totalMs, long inputBytes,
                         String code, boolean fallback) {
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("at", at.toString());
            o.addProperty("source", source);
            o.addProperty("model", model);
            o.addProperty("version", version);
            o.addProperty("route", route);
            o.addProperty("endpoint", endpoint);
            o.addProperty("queueMs", queueMs);
            o.addProperty("transferMs", transferMs);
            o.addProperty("computeMs", computeMs);
            o.addProperty("totalMs", totalMs);
            o.addProperty("inputBytes", inputBytes);
            o.addProperty("code", code);
            o.addProperty("fallback", fallback);
            return o;
        }

        static Sample fromJson(JsonObject o, String source) {
            return new Sample(Instant.parse(text(o, "at")), source, text(o, "model"), text(o, "version"),
                    text(o, "route"), text(o, "endpoint"), o.get("queueMs").getAsDouble(), o.get("transferMs").getAsDouble(),
                    o.get("computeMs").getAsDouble(), o.get("totalMs").getAsDouble(), o.get("inputBytes").getAsLong(),
                    text(o, "code"), o.get("fallback").getAsBoolean());
        }

        private static String text(JsonObject o, String field) {
            String value = o.get(field).getAsString();
            if (value.length() > MAX_FIELD_CHARS) {
                throw new io.conduit.core.ConduitException(io.conduit.core.ErrorCode.USAGE, "telemetry field \"" + field
                        + "\" is " + value.length() + " characters; at most " + MAX_FIELD_CHARS);
            }
            return value;
        }
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long recorded;

    /** Puts records kept from before a restart back in the window, as if just recorded. */
    public synchronized void restore(List<Sample> kept) {
        kept.forEach(this::record);
    }

    public synchronized void record(Sample sample) {
        if (samples.size() == CAPACITY) {
            samples.removeFirst();
        }
        samples.addLast(sample);
        recorded++;
    }

    /** How many samples were ever recorded (a cursor for forwarding). */
    synchronized long recorded() {
        return recorded;
    }

    /** The samples after the first {@code cursor} ones, and the count they run up to, read in one step. */
    record Pending(List<Sample> samples, long upTo) {
    }

    synchronized Pending pending(long cursor, int limit) {
        List<Sample> all = after(cursor);
        List<Sample> some = all.size() > limit ? all.subList(0, limit) : all;
        long first = recorded - samples.size();
        long upTo = all.size() > limit ? Math.max(cursor, first) + limit : recorded;
        return new Pending(new ArrayList<>(some), upTo);
    }

    /** The samples recorded after the first {@code cursor} ones (those still in the window). */
    synchronized List<Sample> after(long cursor) {
        long first = recorded - samples.size();
        List<Sample> out = new ArrayList<>();
        long index = first;
        for (Sample s : samples) {
            if (index++ >= cursor) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Per version and route of {@code model}: calls, error and fallback rates, and p50/p95/p99 of the
     * total, queue, transfer and compute times (nearest-rank percentiles over the window).
     */
    public synchronized JsonObject stats(String model) {
        Map<String, List<Sample>> groups = new TreeMap<>();
        for (Sample s : samples) {
            if (model.isEmpty() || s.model().equals(model)) {
                groups.computeIfAbsent(s.model() + "@" + s.version() + " " + s.route(), k -> new ArrayList<>()).add(s);
            }
        }
        JsonArray rows = new JsonArray();
        groups.forEach((key, list) -> {
            JsonObject row = new JsonObject();
            Sample any = list.get(0);
            row.addProperty("model", any.model());
            row.addProperty("version", any.version());
            row.addProperty("route", any.route());
            row.addProperty("calls", list.size());
            long errors = list.stream().filter(s -> !s.code().isEmpty()).count();
            long fallbacks = list.stream().filter(Sample::fallback).count();
            row.addProperty("errorRate", round((double) errors / list.size()));
            row.addProperty("fallbackRate", round((double) fallbacks / list.size()));
            List<Sample> ok = list.stream().filter(s -> s.code().isEmpty()).toList();
            row.add("totalMs", percentiles(ok.stream().mapToDouble(Sample::totalMs).toArray()));
            row.add("queueMs", percentiles(ok.stream().mapToDouble(Sample::queueMs).toArray()));
            row.add("transferMs", percentiles(ok.stream().mapToDouble(Sample::transferMs).toArray()));
            row.add("computeMs", percentiles(ok.stream().mapToDouble(Sample::computeMs).toArray()));
            rows.add(row);
        });
        JsonObject answer = new JsonObject();
        answer.add("stats", rows);
        return answer;
    }

    /**
     * {@code model}'s records in buckets of {@code bucketSeconds}: per bucket, its start, the calls by
     * route, errors, and the p50 and p95 of the total time — what the dashboard draws over time.
     */
    public synchronized JsonObject series(String model, int bucketSeconds) {
        Map<Long, List<Sample>> buckets = new TreeMap<>();
        for (Sample s : samples) {
            if (s.model().equals(model)) {
                buckets.computeIfAbsent(s.at().getEpochSecond() / bucketSeconds, k -> new ArrayList<>()).add(s);
            }
        }
        JsonArray points = new JsonArray();
        buckets.forEach((bucket, list) -> {
            JsonObject point = new JsonObject();
            point.addProperty("at", Instant.ofEpochSecond(bucket * bucketSeconds).toString());
            JsonObject routes = new JsonObject();
            list.stream().filter(s -> s.code().isEmpty()).forEach(s -> routes.addProperty(s.route(),
                    (routes.has(s.route()) ? routes.get(s.route()).getAsInt() : 0) + 1));
            point.add("routes", routes);
            point.addProperty("errors", list.stream().filter(s -> !s.code().isEmpty()).count());
            JsonObject total = percentiles(list.stream().filter(s -> s.code().isEmpty()).mapToDouble(Sample::totalMs).toArray());
            point.add("totalMs", total);
            points.add(point);
        });
        JsonObject answer = new JsonObject();
        answer.addProperty("model", model);
        answer.addProperty("bucketSeconds", bucketSeconds);
        answer.add("points", points);
        return answer;
    }

    static JsonObject percentiles(double[] values) {
        JsonObject p = new JsonObject();
        if (values.length == 0) {
            return p;
        }
        Arrays.sort(values);
        for (int q : new int[]{50, 95, 99}) {
            int rank = (int) Math.ceil(q / 100.0 * values.length);
            p.addProperty("p" + q, round(values[Math.max(0, rank - 1)]));
        }
        return p;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
