package io.conduit.core.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration in force: a value for every {@link Setting} and the layer it came from
 * ({@code default}, a file path, an environment variable or a command-line flag), so a TD can tell
 * why a workstation behaves as it does. Immutable; made by {@link ConfigLoader}.
 */
public final class ConduitConfig {
    private final Map<Setting, String> values;
    private final Map<Setting, String> sources;
    private final List<String> warnings;
    private final List<String> problems;

    ConduitConfig(Map<Setting, String> values, Map<Setting, String> sources, List<String> warnings, List<String> problems) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.sources = Collections.unmodifiableMap(new EnumMap<>(sources));
        this.warnings = List.copyOf(warnings);
        this.problems = List.copyOf(problems);
    }

    /** Unknown keys and variables, old names: each with the nearest known name. Nothing was refused for them. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Layers that could not be read (a broken file), each with the file, line, column and what was
     * expected; only a lenient load ({@link ConfigLoader#loadLenient}) skips them instead of failing.
     */
    public List<String> problems() {
        return problems;
    }

    /** Built-in defaults only; for tests and embedding. */
    public static ConduitConfig defaults() {
        return new ConfigLoader(Map.of(), null).load(Map.of());
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    public int getInt(Setting setting) {
        return Integer.parseInt(values.get(setting));
    }

    public boolean getBool(Setting setting) {
        return Boolean.parseBoolean(values.get(setting));
    }

    public List<String> getList(Setting setting) {
        String value = values.get(setting);
        return value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Where the value of {@code setting} came from. */
    public String source(Setting setting) {
        return sources.get(setting);
    }
}
