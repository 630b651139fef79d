package io.conduit.installer.bridges;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import io.conduit.server.agent.AgentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a bridge's end-to-end test needs: a models folder whose packages declare themselves for a
 * host application, the command that starts a real agent on it (this JVM's classpath), and a
 * clean-up that stops every agent the test started.
 */
final class BridgeFixture {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    final Path models;

    BridgeFixture(Path dir) throws IOException {
        this.models = Files.createDirectories(dir.resolve("models"));
    }

    /** A package of a committed test model, its manifest edited as JSON (hosts, layouts, assets). */
    Path addPackage(String onnx, String name, Consumer<JsonObject> edit) throws IOException {
        return addPackage(onnx, name, name, edit);
    }

    /** The same, in a folder of its own name (for a second version of one model). */
    Path addPackage(String onnx, String name, String folder, Consumer<JsonObject> edit) throws IOException {
        Path pkg = TestModels.packageOf(onnx, models);
        Path manifestFile = pkg.resolve(ModelPackage.MANIFEST);
        JsonObject manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
        manifest.addProperty("name", name);
        edit.accept(manifest);
        Files.writeString(manifestFile, GSON.toJson(manifest));
        Path renamed = pkg.resolveSibling(folder);
        Files.move(pkg, renamed);
        ModelPackage.open(renamed).close(); // the edit must still be a valid package
        return renamed;
    }

    static JsonObject hostEntry(String label, JsonObject... parameters) {
        JsonObject entry = new JsonObject();
        entry.addProperty("label", label);
        entry.addProperty("category", "Conduit/Test");
        JsonArray params = new JsonArray();
        for (JsonObject p : parameters) {
            params.add(p);
        }
        entry.add("parameters", params);
        return entry;
    }

    static JsonObject floatParameter(String name, double defaultValue, String input) {
        JsonObject p = new JsonObject();
        p.addProperty("name", name);
        p.addProperty("type", "float");
        p.addProperty("default", defaultValue);
        p.addProperty("min", 0);
        p.addProperty("max", 1);
        p.addProperty("input", input);
        return p;
    }

    static void setLayout(JsonObject manifest, String list, String tensor, String layout) {
        setField(manifest, list, tensor, "layout", layout);
    }

    /** Sets a field (layout, role) of the named tensor in {@code inputs} or {@code outputs}. */
    static void setField(JsonObject manifest, String list, String tensor, String field, String value) {
        for (JsonElement e : manifest.getAsJsonArray(list)) {
            if (e.getAsJsonObject().get("name").getAsString().equals(tensor)) {
                e.getAsJsonObject().addProperty(field, value);
            }
        }
    }

    static JsonObject hosts(String host, JsonObject entry) {
        JsonObject hosts = new JsonObject();
        hosts.add(host, entry);
        return hosts;
    }

    static JsonObject hostEntry(String label, String category, JsonObject... parameters) {
        JsonObject entry = hostEntry(label, parameters);
        entry.addProperty("category", category);
        return entry;
    }

    /** {@code java -cp <this JVM's classpath> ConduitMain agent --models ... --home HOME}. */
    List<String> agentCommand(Path home, int idleSeconds) {
        List<String> command = new java.util.ArrayList<>(io.conduit.core.testing.TestJava.command(
                "io.conduit.installer.cli.ConduitMain", "-Xmx1g"));
        command.addAll(List.of("agent", "--models", models.toString(), "--home", home.toString(),
                "--idle-seconds", String.valueOf(idleSeconds)));
        return List.copyOf(command);
    }

    /** Stops the agent whose file is in {@code home}, if one is running. */
    static void stopAgent(Path home) {
        Optional<AgentFile> file = AgentFile.read(home);
        file.flatMap(f -> ProcessHandle.of(f.pid())).ifPresent(ProcessHandle::destroyForcibly);
    }
}
