package io.conduit.server.v2;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.triton.TritonModelConfig;
import io.conduit.core.triton.TritonVersion;
import io.conduit.server.http.AccessPolicy;
import io.conduit.server.http.HttpExchange;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Triton extensions that tooling built for Triton relies on, answered by {@code conduit serve}
 * as Triton answers them: {@code GET /v2/models/NAME[/versions/N]/config} (the model configuration
 * as JSON, with the version map of {@link io.conduit.core.triton.TritonVersionMap} in its
 * parameters: Conduit's remote engine reads it to choose the numeric route),
 * {@code GET /v2/models[/NAME[/versions/N]]/stats} ({@link TritonStatistics}) and
 * {@code POST /v2/repository/index}. Versions in paths are Triton's integers, as its HTTP front
 * routes them ({@code src/http_server.cc}). Any valid token may call them ({@link AccessPolicy}).
 */
public final class TritonHandler extends Handler.Abstract {
    private static final Pattern MODEL = Pattern.compile("/v2/models/([^/]+)(?:/versions/([0-9]+))?/(config|stats)");
    private static final String ALL_STATS = "/v2/models/stats";
    private static final String INDEX = "/v2/repository/index";

    private final ModelRepository repository;
    private final ToIntFunction<ModelPackage> maxBatchSize;
    private final TritonStatistics statistics;

    /** @param maxBatchSize the batch size the server joins requests of a package up to; 0 when it does not */
    public TritonHandler(ModelRepository repository, ToIntFunction<ModelPackage> maxBatchSize, TritonStatistics statistics) {
        this.repository = repository;
        this.maxBatchSize = maxBatchSize;
        this.statistics = statistics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Matcher m = MODEL.matcher(path);
        boolean model = m.matches();
        if (!model && !path.equals(ALL_STATS) && !path.equals(INDEX)) {
            return false;
        }
        try {
            if (path.equals(INDEX)) {
                requireMethod(request.getMethod(), "POST", path, response);
                HttpExchange.json(response, callback, 200, index(readyOnly(request)));
                return true;
            }
            requireMethod(request.getMethod(), "GET", path, response);
            if (path.equals(ALL_STATS)) {
                HttpExchange.json(response, callback, 200, stats(repository.all()));
                return true;
            }
            if (m.group(3).equals("stats")) {
                HttpExchange.json(response, callback, 200, statistics(m.group(1), m.group(2)));
            } else {
                HttpExchange.json(response, callback, 200, config(m.group(1), m.group(2)).toJson());
            }
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e.code(), e.getMessage());
        }
        return true;
    }

    /**
     * The Triton configuration of {@code name} at {@code version} (semantic or Triton's integer; empty: the
     * highest, as Triton answers), as this endpoint and the gRPC port's {@code ModelConfig} give it; 503
     * while that version loads.
     */
    public TritonModelConfig config(String name, String version) {
        return config(repository.find(name, version));
    }

    /**
     * Triton's statistics of {@code name} at {@code version} (empty name: every model; empty version: every
     * version loaded so far), as this endpoint and the gRPC port's {@code ModelStatistics} give them.
     */
    public JsonObject statistics(String name, String version) {
        if (name == null || name.isEmpty()) {
            return stats(repository.all());
        }
        return stats(version == null || version.isEmpty() ? loadedVersionsOf(name) : List.of(repository.find(name, version)));
    }

    private TritonModelConfig config(ModelPackage pkg) {
        return TritonModelConfig.of(pkg.manifest(), maxBatchSize.applyAsInt(pkg), repository.tritonVersions(pkg.manifest().name()));
    }

    /** The versions of {@code name} loaded so far (those still loading have no statistics yet). */
    private List<ModelPackage> loadedVersionsOf(String name) {
        repository.slot(name, null); // an unknown model is named in the error, with the ones there are
        return repository.all().stream().filter(p -> p.manifest().name().equals(name)).toList();
    }

    private JsonObject stats(List<ModelPackage> packages) {
        JsonArray all = new JsonArray();
        for (ModelPackage pkg : packages) {
            all.add(statistics.json(pkg.manifest().name(), pkg.manifest().version().toString(),
                    repository.tritonNumber(pkg)));
        }
        JsonObject o = new JsonObject();
        o.add("model_stats", all);
        return o;
    }

    /**
     * Every configured version with its state, as Triton lists them: READY, LOADING while the service
     * loads it in the background, UNAVAILABLE with the reason it failed; {@code {"ready": true}} lists
     * the ready ones only.
     */
    private JsonArray index(boolean readyOnly) {
        JsonArray index = new JsonArray();
        for (ModelSlot slot : repository.slots()) {
            ModelState state = slot.state();
            if (readyOnly && state != ModelState.READY) {
                continue;
            }
            TritonVersion v = repository.tritonVersions(slot.name()).find(slot.version()).orElseThrow();
            JsonObject o = new JsonObject();
            o.addProperty("name", slot.name());
            o.addProperty("version", Long.toString(v.number()));
            o.addProperty("state", state.name());
            o.addProperty("reason", slot.reason());
            index.add(o);
        }
        return index;
    }

    /** Triton's index request: an optional body {@code {"ready": boolean}}. */
    private static boolean readyOnly(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(64 * 1024);
            String text = new String(bytes, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                return false;
            }
            JsonElement body = JsonParser.parseString(text);
            JsonElement ready = body.isJsonObject() ? body.getAsJsonObject().get("ready") : null;
            if (ready != null && !(ready.isJsonPrimitive() && ready.getAsJsonPrimitive().isBoolean())) {
                throw new ConduitException(ErrorCode.USAGE, "Invalid value for 'ready': expected a boolean");
            }
            return ready != null && ready.getAsBoolean();
        } catch (java.io.IOException | com.google.gson.JsonParseException e) {
            throw new ConduitException(ErrorCode.USAGE, "expected an index request {\"ready\": boolean}: " + e.getMessage());
        }
    }

    private static void requireMethod(String method, String expected, String path, Response response) {
        if (!expected.equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, expected);
            throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, method + " " + path + " is not supported; use "
                    + expected);
        }
    }
}
