package io.conduit.installer.bridges;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame of every bridge's end-to-end test: a models folder (filled by the subclass), a fresh
 * agent home per interpreter, and the bridge's Python test module run under CPython 3 and under
 * Jython 2.7, each starting its own real agent process, which is stopped afterwards.
 */
abstract class BridgeEndToEnd {
    @TempDir
    static Path dir;

    static BridgeFixture fixture;

    /** The bridge's Python test script, relative to the repository root. */
    abstract String script();

    /** The folders its Python imports from, relative to the repository root. */
    abstract List<String> pythonPath();

    /** How many Python tests the script runs (a missing one fails the run). */
    abstract int tests();

    @AfterAll
    static void stopAgents() {
        BridgeFixture.stopAgent(dir.resolve("home-cpython"));
        BridgeFixture.stopAgent(dir.resolve("home-jython"));
    }

    @Test
    void underCPython3() throws Exception {
        PythonRunner.cpython(PythonRunner.ROOT.resolve(script()), config(dir.resolve("home-cpython")), path(), tests());
    }

    @Test
    void underJython() throws Exception {
        String module = Path.of(script()).getFileName().toString().replace(".py", "");
        PythonRunner.jython(module, config(dir.resolve("home-jython")), path(), tests());
    }

    private List<Path> path() {
        return pythonPath().stream().map(PythonRunner.ROOT::resolve).toList();
    }

    /** Adds what the bridge's Python test needs beyond the agent's home and command. */
    void configure(JsonObject config) throws Exception {
    }

    private Path config(Path home) throws Exception {
        JsonObject config = new JsonObject();
        configure(config);
        config.addProperty("home", home.toString());
        JsonArray command = new JsonArray();
        fixture.agentCommand(home, 120).forEach(command::add);
        config.add("command", command);
        return Files.writeString(dir.resolve(home.getFileName() + ".json"), config.toString());
    }
}
