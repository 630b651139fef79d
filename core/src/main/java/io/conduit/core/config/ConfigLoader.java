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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the configuration from its layers, later winning: built-in defaults &lt; the studio file
 * ({@code CONDUIT_STUDIO_CONFIG}) &lt; the user file ({@code ~/.conduit/config.json}, under
 * {@code $HOME}) &lt; environment variables ({@code CONDUIT_*}) &lt; command-line flags. Files hold
 * JSON, nested ({@code {"remote": {"deadlineMs": 5000}}}) or dotted ({@code {"remote.deadlineMs": 5000}}).
 * An unknown key or a value of the wrong kind is refused with the layer that holds it.
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
        return new ConfigLoader(System.getenv(), null).load(flags);
    }

    public Path userFile() {
        return home.resolve(".conduit").resolve("config.json");
    }

    public ConduitConfig load(Map<String, String> flags) {
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
            apply(readFile(file), file.toString(), values, sources);
        }
        if (Files.isRegularFile(userFile())) {
            apply(readFile(userFile()), userFile().toString(), values, sources);
        }
        for (Setting s : Setting.values()) {
            String value = environment.get(s.environmentName());
            if (value != null) {
                set(s, value, "environment " + s.environmentName(), values, sources);
            }
        }
        Map<String, String> flagValues = new LinkedHashMap<>(flags);
        apply(flagValues, "command line", values, sources);
        return new ConduitConfig(values, sources);
    }

    private static void apply(Map<String, String> layer, String source, Map<Setting, String> values,
                              Map<Setting, String> sources) {
        for (Map.Entry<String, String> entry : layer.entrySet()) {
            Setting setting = Setting.byKey(entry.getKey()).orElseThrow(() -> new ConduitException(ErrorCode.USAGE,
                    source + ": unknown configuration key \"" + entry.getKey() + "\"; expected one of "
                            + Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.joining(", "))));
            set(setting, entry.getValue(), source, values, sources);
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
            throw new ConduitException(ErrorCode.USAGE, file + " is not valid JSON: " + e.getMessage(), e);
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
