package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.manifest.Manifest;

/** The JSON pieces several commands print, so scripts see the same keys everywhere. */
final class CliJson {
    private CliJson() {
    }

    /** {@code model}, {@code version}, {@code route}, {@code reason}, {@code millis}, {@code computeMillis}. */
    static JsonObject runSummary(Manifest manifest, InferenceResult result) {
        JsonObject o = new JsonObject();
        o.addProperty("model", manifest.name());
        o.addProperty("version", manifest.version().toString());
        o.addProperty("route", result.route().route().label());
        o.addProperty("reason", result.route().reason());
        if (!result.route().endpoint().isEmpty()) {
            o.addProperty("endpoint", result.route().endpoint());
        }
        o.addProperty("millis", Math.round(result.totalNanos() / 1e3) / 1000.0);
        o.addProperty("computeMillis", Math.round(result.computeNanos() / 1e3) / 1000.0);
        return o;
    }

    static JsonArray shape(long[] shape) {
        return io.conduit.core.manifest.ManifestWriter.shape(shape);
    }
}
