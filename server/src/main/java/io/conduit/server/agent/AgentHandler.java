package io.conduit.server.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.ArtistContext;
import io.conduit.core.registry.Registry;
import io.conduit.core.registry.Resolution;
import io.conduit.server.feedback.FeedbackPreview;
import io.conduit.server.feedback.FeedbackSpool;
import io.conduit.server.feedback.FeedbackUploader;
import io.conduit.server.http.AuthHandler;
import io.conduit.server.http.HttpExchange;
import io.conduit.server.v2.ModelRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The agent's own endpoints under {@code /conduit/v1/agent}, which the bridges call besides V2:
 * who the agent runs for, the models this user may use in a host application (each resolved for
 * the show and department given, as inference will resolve it), file jobs, and feedback on a
 * result, spooled durably ({@link FeedbackSpool}) and uploaded to the service when one is configured
 * ({@link FeedbackUploader}). Every call needs the agent's token.
 */
public final class AgentHandler extends Handler.Abstract {
    public static final String PREFIX = "/conduit/v1/agent";
    private static final int MAX_NOTE_CHARS = 4000;

    private final ModelRepository repository;
    private final Registry registry;
    private final Path home;

    private final AgentBatch batch;

    private final FeedbackSpool spool;
    private final FeedbackUploader uploader;

    public AgentHandler(ModelRepository repository, Registry registry, Path home,
                 io.conduit.core.engine.InferenceEngine engine, FeedbackSpool spool, FeedbackUploader uploader) {
        this.repository = repository;
        this.registry = registry;
        this.home = home;
        this.batch = new AgentBatch(home, engine);
        this.spool = spool;
        this.uploader = uploader;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        try {
            String user = AuthHandler.caller(request).user();
            String method = request.getMethod();
            switch (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) {
                case PREFIX -> {
                    requireMethod(method, "GET", response);
                    JsonObject about = new JsonObject();
                    about.addProperty("user", user);
                    about.addProperty("pid", ProcessHandle.current().pid());
                    about.addProperty("models", repository.all().size());
                    HttpExchange.json(response, callback, 200, about);
                }
                case PREFIX + "/models" -> {
                    requireMethod(method, "GET", response);
                    Fields query = Request.extractQueryParameters(request);
                    String host = query.getValue("host");
                    if (host == null || !HostEntry.HOSTS.contains(host)) {
                        throw new ConduitException(ErrorCode.USAGE, "?host= must be one of " + HostEntry.HOSTS
                                + "; got " + host);
                    }
                    ArtistContext context = new ArtistContext(query.getValue("show"), query.getValue("department"), user);
                    JsonObject answer = new JsonObject();
                    JsonArray hidden = new JsonArray();
                    answer.add("models", modelsFor(host, context, hidden));
                    answer.add("hidden", hidden);
                    HttpExchange.json(response, callback, 200, answer);
                }
                case PREFIX + "/batch" -> {
                    requireMethod(method, "POST", response);
                    JsonObject body = readJson(request, 1 << 20);
                    String model = text(body, "model");
                    String version = text(body, "version");
                    if (version.isEmpty() && registry != null) {
                        version = registry.resolve(model, new ArtistContext(request.getHeaders().get("Conduit-Show"),
                                request.getHeaders().get("Conduit-Department"), user)).version().toString();
                    }
                    HttpExchange.json(response, callback, 200, batch.run(repository.find(model, version), body));
                }
                case PREFIX + "/feedback" -> {
                    requireMethod(method, "POST", response);
                    JsonObject note = recordFeedback(readJson(request, 64 * 1024), user, request);
                    HttpExchange.json(response, callback, 201, note);
                }
                default -> throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no agent endpoint " + method + " "
                        + path + "; the agent has " + PREFIX + ", " + PREFIX + "/models?host=H, " + PREFIX + "/batch and " + PREFIX
                        + "/feedback");
            }
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
        } catch (RuntimeException e) {
            HttpExchange.internal(response, callback, ErrorCode.INTERNAL, e);
        }
        return true;
    }

    /**
     * One entry per model usable in {@code host}: the version the artist's context resolves to (the
     * newest served version without a registry), skipping models whose asset tags name other shows.
     * Each model skipped goes into {@code hidden} with the reason, so an artist (or the TD they call)
     * can see why a model they expected is not in the menu.
     */
    private JsonArray modelsFor(String host, ArtistContext context, JsonArray hidden) {
        Map<String, List<ModelPackage>> byName = new TreeMap<>();
        repository.all().forEach(p -> byName.computeIfAbsent(p.manifest().name(), n -> new ArrayList<>()).add(p));
        JsonArray models = new JsonArray();
        for (Map.Entry<String, List<ModelPackage>> entry : byName.entrySet()) {
            ModelPackage chosen;
            String chosenBy;
            if (registry != null) {
                Resolution resolution;
                try {
                    resolution = registry.resolve(entry.getKey(), context);
                } catch (ConduitException notResolvable) {
                    // unpublished since the agent started, or the registry is gone: not offered
                    hide(hidden, entry.getKey(), "no version resolves for this artist: " + notResolvable.getMessage());
                    continue;
                }
                chosen = entry.getValue().stream()
                        .filter(p -> p.manifest().version().equals(resolution.version())).findFirst().orElse(null);
                chosenBy = resolution.chosenBy();
            } else {
                chosen = entry.getValue().stream().max(Comparator.comparing(p -> p.manifest().version())).orElseThrow();
                chosenBy = "the newest version in the agent's models folder";
            }
            if (chosen == null) {
                hide(hidden, entry.getKey(), "resolves to a version published after the agent started; restart the"
                        + " agent (it exits when idle) to serve it");
                continue;
            }
            Manifest m = chosen.manifest();
            HostEntry hostEntry = m.hosts().get(host);
            if (hostEntry == null) {
                hide(hidden, m.name(), m.name() + "@" + m.version() + " declares no hosts." + host + " entry; it is offered in "
                        + (m.hosts().isEmpty() ? "no application" : String.join(", ", m.hosts().keySet())));
                continue;
            }
            if (!validForShow(m, context.show())) {
                hide(hidden, m.name(), m.name() + " is for show " + String.join(", ", showsOf(m)) + "; SHOW is "
                        + (context.show() == null || context.show().isBlank() ? "not set" : context.show()));
                continue;
            }
            JsonObject tree = ManifestWriter.toTree(m);
            JsonObject o = new JsonObject();
            o.addProperty("name", m.name());
            o.addProperty("version", m.version().toString());
            o.addProperty("chosenBy", chosenBy);
            o.addProperty("description", m.description());
            o.add("host", tree.getAsJsonObject("hosts").get(host));
            o.add("inputs", tree.get("inputs"));
            o.add("outputs", tree.get("outputs"));
            o.add("lineage", tree.get("lineage"));
            models.add(o);
        }
        return models;
    }

    /** A model tagged for shows ({@code show:ABC}) is valid only on those; untagged models are valid everywhere. */
    static boolean validForShow(Manifest manifest, String show) {
        List<String> shows = showsOf(manifest);
        return shows.isEmpty() || shows.contains(show);
    }

    private static List<String> showsOf(Manifest manifest) {
        return manifest.assets().stream().filter(a -> a.startsWith("show:")).map(a -> a.substring("show:".length())).toList();
    }

    private static void hide(JsonArray hidden, String model, String reason) {
        JsonObject o = new JsonObject();
        o.addProperty("name", model);
        o.addProperty("reason", reason);
        hidden.add(o);
    }

    /**
     * A note, completed with who sent it, when, and a fresh id (which makes its upload idempotent), spooled
     * durably before the artist is told it was kept, then handed to the uploader.
     */
    private JsonObject recordFeedback(JsonObject body, String user, Request request) {
        String model = text(body, "model");
        String version = text(body, "version");
        if (model.isEmpty() || version.isEmpty()) {
            throw new ConduitException(ErrorCode.USAGE, "feedback needs \"model\" and \"version\" (the result it is about)");
        }
        if (!body.has("rating") || !body.get("rating").isJsonPrimitive() || !body.get("rating").getAsJsonPrimitive().isNumber()
                || body.get("rating").getAsDouble() != Math.rint(body.get("rating").getAsDouble())
                || body.get("rating").getAsInt() < 1 || body.get("rating").getAsInt() > 5) {
            throw new ConduitException(ErrorCode.USAGE, "feedback \"rating\" must be a whole number from 1 to 5; got "
                    + body.get("rating"));
        }
        String note = text(body, "note");
        if (note.length() > MAX_NOTE_CHARS) {
            throw new ConduitException(ErrorCode.USAGE, "feedback \"note\" has " + note.length() + " characters; at most "
                    + MAX_NOTE_CHARS + " are kept");
        }
        JsonObject line = new JsonObject();
        line.addProperty("id", java.util.UUID.randomUUID().toString());
        line.addProperty("at", Instant.now().toString());
        line.addProperty("user", user);
        line.addProperty("model", model);
        line.addProperty("version", version);
        line.addProperty("rating", body.get("rating").getAsInt());
        line.addProperty("note", note);
        for (String field : new String[]{"host", "hostVersion", "route", "shot", "asset", "requestId"}) {
            line.addProperty(field, text(body, field));
        }
        line.addProperty("show", text(body, "show").isEmpty() ? orEmpty(request.getHeaders().get("Conduit-Show"))
                : text(body, "show"));
        line.addProperty("department", text(body, "department").isEmpty()
                ? orEmpty(request.getHeaders().get("Conduit-Department")) : text(body, "department"));
        for (String refs : new String[]{"inputs", "outputs"}) {
            if (body.has(refs)) {
                line.add(refs, body.get(refs)); // paths or digests of what the note is about, never the pixels
            }
        }
        if (body.has("preview") && body.get("preview").isJsonObject() && body.getAsJsonObject("preview").has("file")) {
            JsonElement file = body.getAsJsonObject("preview").get("file");
            if (!file.isJsonPrimitive() || !file.getAsJsonPrimitive().isString()) {
                throw new ConduitException(ErrorCode.USAGE, "preview.file must be the path of the result image");
            }
            // only when the artist ticked the box: a small PNG made here from the result they were looking at
            line.addProperty("preview", FeedbackPreview.of(Path.of(body.getAsJsonObject("preview").get("file").getAsString())));
        }
        spool.append(line);
        if (uploader != null) {
            uploader.wake();
        }
        return line;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static void requireMethod(String method, String allowed, Response response) {
        if (!method.equals(allowed)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new ConduitException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not supported here; use " + allowed);
        }
    }

    private static JsonObject readJson(Request request, int limit) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ConduitException(ErrorCode.REQUEST_TOO_LARGE, "this agent call takes at most " + (limit >> 10)
                        + " KiB of JSON");
            }
            JsonElement json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new ConduitException(ErrorCode.USAGE, "expected a JSON object; got " + json);
            }
            return json.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new ConduitException(ErrorCode.USAGE, "the body is not JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "the request body could not be read: " + e.getMessage(), e);
        }
    }
}
