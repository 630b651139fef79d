package io.conduit.server.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.Registry;
import io.conduit.server.ServerMetrics;
import io.conduit.server.http.HttpExchange;
import io.conduit.server.v2.ModelRepository;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The dashboard at {@code /ui}: a static page (plain HTML, CSS and JavaScript from this jar, no build
 * step) that reads the service's own endpoints, plus {@code /conduit/v1/ui/models} (every model and
 * version served, with lineage, aliases and rollout rules) and {@code /conduit/v1/ui/series} (telemetry
 * over time). The page is open; the data needs the service's token when it has a tokens file, which
 * the page asks for once and keeps for the browser session.
 */
public final class UiHandler extends Handler.Abstract {
    private static final Map<String, String> FILES = Map.of("/ui", "index.html", "/ui/", "index.html",
            "/ui/app.js", "app.js", "/ui/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final ModelRepository repository;
    private final Registry registry;
    private final ServerMetrics metrics;

    public UiHandler(ModelRepository repository, Registry registry, ServerMetrics metrics) {
        this.repository = repository;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Whether {@code path} is one of the dashboard's static files, which are open to every browser. */
    public static boolean isStaticFile(String path) {
        return FILES.containsKey(path);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        String file = FILES.get(path);
        if (file != null) {
            try (InputStream in = UiHandler.class.getResourceAsStream(file)) {
                byte[] bytes = in.readAllBytes();
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                HttpExchange.stream(response, callback, 200, TYPES.get(file.substring(file.indexOf('.') + 1)),
                        bytes.length, out -> out.write(bytes));
            }
            return true;
        }
        if (!path.equals("/conduit/v1/ui/models") && !path.equals("/conduit/v1/ui/series")) {
            return false;
        }
        try {
            if (path.endsWith("/series")) {
                Fields q = Request.extractQueryParameters(request);
                int bucket = q.getValue("bucket") == null ? 60 : Math.max(1, Integer.parseInt(q.getValue("bucket")));
                HttpExchange.json(response, callback, 200, metrics.telemetry().series(
                        q.getValue("model") == null ? "" : q.getValue("model"), bucket));
            } else {
                HttpExchange.json(response, callback, 200, models());
            }
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
        } catch (NumberFormatException e) {
            HttpExchange.error(response, callback, ErrorCode.USAGE, "bucket must be a whole number of seconds");
        }
        return true;
    }

    /** Every served model with its versions (description, lineage, hosts), aliases and rollout rules. */
    private JsonObject models() {
        Map<String, JsonObject> byName = new java.util.TreeMap<>();
        for (ModelPackage pkg : repository.all()) {
            Manifest m = pkg.manifest();
            JsonObject model = byName.computeIfAbsent(m.name(), n -> {
                JsonObject o = new JsonObject();
                o.addProperty("name", n);
                o.add("versions", new JsonArray());
                o.add("aliases", new JsonObject());
                o.add("rules", new JsonArray());
                if (registry != null) {
                    try {
                        registry.aliases(n).forEach((a, v) -> o.getAsJsonObject("aliases").addProperty(a, v.toString()));
                        registry.rules(n).forEach(r -> o.getAsJsonArray("rules").add(r.toJson()));
                    } catch (ConduitException unreachable) {
                        o.addProperty("registryProblem", unreachable.getMessage());
                    }
                }
                return o;
            });
            JsonObject tree = ManifestWriter.toTree(m);
            JsonObject version = new JsonObject();
            version.addProperty("version", m.version().toString());
            version.addProperty("description", m.description());
            version.add("lineage", tree.get("lineage"));
            version.add("hosts", tree.get("hosts") == null ? new JsonObject() : tree.get("hosts"));
            model.getAsJsonArray("versions").add(version);
        }
        JsonArray list = new JsonArray();
        byName.values().forEach(list::add);
        JsonObject answer = new JsonObject();
        answer.add("models", list);
        return answer;
    }
}
