package io.conduit.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the configuration from its layers, later winning: built-in defaults &lt; the studio file
 * ({@code CONDUIT_STUDIO_CONFIG}) &lt; the user file ({@code ~/.conduit/config.json}, under
 * {@code $HOME}) &lt; environment variables ({@code CONDUIT_*}) &lt; command-line flags. Files hold
 * JSON, nested ({@code {"remote": {"deadlineMs": 5000}}}) or dotted ({@code {"remote.deadlineMs": 5000}}).
 * A value of the wrong kind, or a file that is not JSON, is refused with the layer that holds it (a
 * file's line and column); an unknown key or {@code CONDUIT_*} variable is a warning naming the nearest
 * known one, since failing every command over a stray key in a studio file helps nobody.
 */
public final class ConfigLoader {
    public static final String STUDIO_FILE_VARIABLE = "CONDUIT_STUDIO_CONFIG";

    private final Map<String, String> environment;
    private final Path home;

    /**
     * @param environment the process environment (or a test's)
     * @param home the user's home folder; null means {@code $HOME} from {@code environment}, else {@code user.home}
     */
    public ConfigLoader(Map<String, String> environment, Path home) {
        this.environment = Map.copyOf(environment);
        this.home = home != null ? home
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")));
    }

    /** The process's own configuration with these command-line flags (setting key to value). */
    public static ConduitConfig fromProcess(Map<String, String> flags) {
        ConduitConfig config = new ConfigLoader(System.getenv(), null).load(flags);
        boolean quiet = Boolean.getBoolean("conduit.quiet"); // conduit -q
        if (!quiet && !config.warnings().isEmpty() && WARNED.compareAndSet(false, true)) {
            config.warnings().forEach(w -> System.err.println("warning: " + w)); // once per process, before any output
        }
        return config;
    }

    public Path userFile() {
        return home.resolve(".conduit").resolve("config.json");
    }

    /**
     * {@code CONDUIT_*} variables that are not settings but are read by Conduit's launchers, bridges or
     * tests; any other is reported as unknown.
     */
    public static final java.util.Set<String> OTHER_VARIABLES = java.util.Set.of(STUDIO_FILE_VARIABLE, "CONDUIT_HOME",
            "CONDUIT_ROOT", "CONDUIT_AGENT_COMMAND", "CONDUIT_NUKE_GIZMOS", "CONDUIT_HOUDINI", "CONDUIT_JAVA_OPTS",
            "CONDUIT_KEYSTORE_PASSWORD", "CONDUIT_TEST_POSTGRES");

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    /** The configuration; throws on a broken layer. */
    public ConduitConfig load(Map<String, String> flags) {
        return load(flags, false);
    }

    /**
     * The configuration without the layers that cannot be read (named in {@link ConduitConfig#problems()}),
     * for {@code conduit doctor}, which must report a broken file and still run its other checks.
     */
    public ConduitConfig loadLenient(Map<String, String> flags) {
        return load(flags, true);
    }

    private ConduitConfig load(Map<String, String> flags, boolean lenient) {
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
            sources.put(s, "default");
        }
        String studio = environment.get(STUDIO_FILE_VARIABLE);
        if (studio != null && !studio.isBlank()) {
            Path file = Path.of(studio);
            if (!Files.isRegularFile(file)) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, STUDIO_FILE_VARIABLE + " names " + studio
                        + ", which does not exist");
            }
            fileLayer(file, values, sources, warnings, problems, lenient);
        }
        if (Files.isRegularFile(userFile())) {
            fileLayer(userFile(), values, sources, warnings, problems, lenient);
        }
        environmentLayer(values, sources, warnings);
        Map<String, String> flagValues = new LinkedHashMap<>(flags);
        apply(flagValues, "command line", values, sources, warnings);
        return new ConduitConfig(values, sources, warnings, problems);
    }

    private void fileLayer(Path file, Map<Setting, String> values, Map<Setting, String> sources, List<String> warnings,
                           List<String> problems, boolean lenient) {
        Map<String, String> layer;
        try {
            layer = readFile(file);
        } catch (ConduitException e) {
            if (!lenient) {
                throw e;
            }
            problems.add(e.getMessage());
            return;
        }
        apply(layer, file.toString(), values, sources, warnings);
    }

    private void environmentLayer(Map<Setting, String> values, Map<Setting, String> sources, List<String> warnings) {
        java.util.Set<String> read = new java.util.HashSet<>(OTHER_VARIABLES);
        for (Setting s : Setting.values()) {
            read.add(s.environmentName());
            String old = s.oldEnvironmentName();
            if (!old.equals(s.environmentName()) && environment.containsKey(old)) {
                read.add(old);
                warnings.add(old + " is the old name of " + s.environmentName() + "; rename it");
                if (!environment.containsKey(s.environmentName())) {
                    set(s, environment.get(old), "environment " + old, values, sources);
                }
            }
            String value = environment.get(s.environmentName());
            if (value != null) {
                set(s, value, "environment " + s.environmentName(), values, sources);
            }
        }
        environment.keySet().stream().filter(name -> name.startsWith("CONDUIT_") && !read.contains(name)).sorted()
                .forEach(name -> warnings.add("environment variable " + name + " is not a Conduit setting and is ignored"
                        + Nearest.suggestion(name, read)));
    }

    private static void apply(Map<String, String> layer, String source, Map<Setting, String> values,
                              Map<Setting, String> sources, List<String> warnings) {
        for (Map.Entry<String, String> entry : layer.entrySet()) {
            java.util.Optional<Setting> setting = Setting.byKey(entry.getKey());
            if (setting.isEmpty()) {
                warnings.add(source + ": unknown configuration key \"" + entry.getKey() + "\" is ignored"
                        + Nearest.suggestion(entry.getKey(), Arrays.stream(Setting.values()).map(Setting::key).toList()));
                continue;
            }
            set(setting.get(), entry.getValue(), source, values, sources);
        }
    }

    private static void set(Setting setting, String value, String source, Map<Setting, String> values,
                            Map<Setting, String> sources) {
        try {
            values.put(setting, setting.validate(value));
            sources.put(setting, source);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, source + ": " + setting.key() + " " + e.getMessage());
        }
    }

    private static Map<String, String> readFile(Path file) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new ConduitException(ErrorCode.USAGE, file + JsonErrors.where(e) + ": not valid JSON: "
                    + JsonErrors.what(e) + "; expected a JSON object of settings, e.g. {\"device\": \"cpu\"}", e);
        }
        if (!root.isJsonObject()) {
            throw new ConduitException(ErrorCode.USAGE, file + " holds " + root + "; expected a JSON object of settings");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root.getAsJsonObject(), flat, file);
        return flat;
    }

    private static void flatten(String prefix, JsonObject object, Map<String, String> into, Path file) {
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonElement v = e.getValue();
            if (v.isJsonObject()) {
                flatten(key, v.getAsJsonObject(), into, file);
            } else if (v.isJsonArray()) {
                StringBuilder joined = new StringBuilder();
                for (JsonElement item : v.getAsJsonArray()) {
                    if (!item.isJsonPrimitive()) {
                        throw new ConduitException(ErrorCode.USAGE, file + ": " + key + " holds " + item
                                + "; expected a list of strings");
                    }
                    joined.append(joined.length() == 0 ? "" : ",").append(item.getAsString());
                }
                into.put(key, joined.toString());
            } else if (v.isJsonPrimitive()) {
                into.put(key, v.getAsString());
            } else {
                throw new ConduitException(ErrorCode.USAGE, file + ": " + key + " is null; leave the key out instead");
            }
        }
    }
}
