package io.conduit.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path home;

    @Test
    void laterLayersWinAndEachValueKnowsItsSource() throws Exception {
        Path studio = home.resolve("studio.json");
        Files.writeString(studio, "{\"remote\": {\"endpoints\": [\"http://farm-a:8000\", \"http://farm-b:8000\"],"
                + " \"deadlineMs\": 30000, \"retryBaseMs\": 10}, \"device\": \"remote\"}");
        Files.createDirectories(home.resolve(".conduit"));
        Files.writeString(home.resolve(".conduit/config.json"), "{\"remote.deadlineMs\": 5000, \"device\": \"cpu\"}");
        Map<String, String> env = Map.of(ConfigLoader.STUDIO_FILE_VARIABLE, studio.toString(),
                "CONDUIT_REMOTE_DEADLINE_MS", "7000", "HOME", home.toString());
        ConduitConfig c = new ConfigLoader(env, null).load(Map.of("device", "gpu"));
        assertEquals(List.of("http://farm-a:8000", "http://farm-b:8000"), c.getList(Setting.REMOTE_ENDPOINTS));
        assertEquals(studio.toString(), c.source(Setting.REMOTE_ENDPOINTS));
        assertEquals(10, c.getInt(Setting.REMOTE_RETRY_BASE_MS));
        assertEquals(7000, c.getInt(Setting.REMOTE_DEADLINE_MS));
        assertEquals("environment CONDUIT_REMOTE_DEADLINE_MS", c.source(Setting.REMOTE_DEADLINE_MS));
        assertEquals("gpu", c.get(Setting.DEVICE));
        assertEquals("command line", c.source(Setting.DEVICE));
        assertEquals("2000", c.get(Setting.REMOTE_CONNECT_TIMEOUT_MS));
        assertEquals("default", c.source(Setting.REMOTE_CONNECT_TIMEOUT_MS));
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertEquals("CONDUIT_REMOTE_ENDPOINTS", Setting.REMOTE_ENDPOINTS.environmentName());
        assertEquals("CONDUIT_REMOTE_CONNECT_TIMEOUT_MS", Setting.REMOTE_CONNECT_TIMEOUT_MS.environmentName());
        assertEquals("CONDUIT_ENGINE_INTRA_OP_THREADS", Setting.ENGINE_INTRA_OP_THREADS.environmentName());
        assertEquals(List.of("http://a:1", "http://b:2"), new ConfigLoader(Map.of("CONDUIT_REMOTE_ENDPOINTS",
                "http://a:1, http://b:2"), home).load(Map.of()).getList(Setting.REMOTE_ENDPOINTS));
    }

    @Test
    void unknownVariablesWarnWithTheNearestNameAndOldNamesStillWork() {
        ConduitConfig config = new ConfigLoader(Map.of("CONDUIT_DEVCE", "gpu", "CONDUIT_HOME", "/h",
                "CONDUIT_CACHE_MAX_MI_B", "100"), home).load(Map.of());
        assertEquals("CONDUIT_CACHE_MAX_MIB", Setting.CACHE_MAX_MIB.environmentName(), "a unit is one word");
        assertEquals(100, config.getInt(Setting.CACHE_MAX_MIB));
        assertEquals(List.of("CONDUIT_CACHE_MAX_MI_B is the old name of CONDUIT_CACHE_MAX_MIB; rename it",
                "environment variable CONDUIT_DEVCE is not a Conduit setting and is ignored; did you mean CONDUIT_DEVICE?"),
                config.warnings());
        assertEquals("auto", config.get(Setting.DEVICE));
        assertEquals(List.of(), new ConfigLoader(Map.of("CONDUIT_ZZZZZZZZ_QQQQ", "1"), home).load(Map.of()).warnings()
                .stream().filter(w -> w.contains("did you mean")).toList(), "nothing close, no guess");
    }

    @Test
    void typosAndBadValuesNameTheirLayer() throws Exception {
        Files.createDirectories(home.resolve(".conduit"));
        Path user = home.resolve(".conduit/config.json");
        Files.writeString(user, "{\"remote\": {\"deadlineMS\": 5000}}");
        ConduitConfig typo = new ConfigLoader(Map.of(), home).load(Map.of());
        assertEquals(List.of(user + ": unknown configuration key \"remote.deadlineMS\" is ignored; did you mean"
                + " remote.deadlineMs?"), typo.warnings(), "a stray key warns, with the nearest known key");
        Files.writeString(user, "{\"remote\": {\"deadlineMs\": 5000,\n  \"token\" \"x\"}}");
        ConduitException broken = assertThrows(ConduitException.class, () -> new ConfigLoader(Map.of(), home).load(Map.of()));
        assertTrue(broken.getMessage().startsWith(user + ", line 2, column "), broken.getMessage());
        assertTrue(broken.getMessage().contains("expected a JSON object of settings"), broken.getMessage());
        assertFalse(broken.getMessage().contains("Exception") || broken.getMessage().contains("http"), broken.getMessage());
        ConduitConfig lenient = new ConfigLoader(Map.of("CONDUIT_DEVICE", "cpu"), home).loadLenient(Map.of());
        assertEquals(List.of(broken.getMessage()), lenient.problems(), "doctor reports the file and goes on");
        assertEquals("cpu", lenient.get(Setting.DEVICE), "the other layers still apply");
        Files.delete(user);
        ConduitException env = assertThrows(ConduitException.class, () -> new ConfigLoader(
                Map.of("CONDUIT_REMOTE_DEADLINE_MS", "soon"), home).load(Map.of()));
        assertEquals("environment CONDUIT_REMOTE_DEADLINE_MS: remote.deadlineMs \"soon\" is not a whole number of 1 or more",
                env.getMessage());
        ConduitException flag = assertThrows(ConduitException.class, () -> new ConfigLoader(Map.of(), home)
                .load(Map.of("device", "tpu")));
        assertEquals("command line: device \"tpu\" is not one of auto, gpu, cpu, remote", flag.getMessage());
        ConduitException missing = assertThrows(ConduitException.class, () -> new ConfigLoader(
                Map.of(ConfigLoader.STUDIO_FILE_VARIABLE, "/nowhere/studio.json"), home).load(Map.of()));
        assertTrue(missing.getMessage().contains("CONDUIT_STUDIO_CONFIG names /nowhere/studio.json, which does not exist"));
    }
}
