package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command's wall time went: the JVM's start-up, then each named phase (open, read, infer,
 * write), so {@code conduit run} never reports a model's 984 ms for a job that took 10.8 s.
 */
final class PhaseClock {
    private final long startupNanos = ProcessAge.nanos();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the phase {@code name}, which began when the previous one ended. */
    void end(String name) {
        long now = System.nanoTime();
        phases.merge(name, now - last, Long::sum);
        last = now;
    }

    private long wallNanos() {
        return startupNanos + phases.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code wall 10.8 s: start-up 0.6 s, open 0.3 s, read 1.2 s, infer 984 ms (ONNX Runtime 900 ms), write 2.1 s}. */
    String describe(long computeNanos) {
        StringBuilder text = new StringBuilder("wall " + format(wallNanos()) + ": start-up " + format(startupNanos));
        phases.forEach((name, nanos) -> {
            text.append(", ").append(name).append(' ').append(format(nanos));
            if (name.equals("infer")) {
                text.append(" (ONNX Runtime ").append(format(computeNanos)).append(')');
            }
        });
        return text.toString();
    }

    JsonObject toJson(long computeNanos) {
        JsonObject o = new JsonObject();
        o.addProperty("wallMs", wallNanos() / 1e6);
        o.addProperty("startupMs", startupNanos / 1e6);
        phases.forEach((name, nanos) -> o.addProperty(name + "Ms", nanos / 1e6));
        o.addProperty("computeMs", computeNanos / 1e6);
        return o;
    }

    private static String format(long nanos) {
        double ms = nanos / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
