package io.conduit.core.batch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Results of batch frames kept by what made them: the key is the sha256 of the model's manifest (which
 * holds the model file's digest), every input file's sha256 and every output's format, so the same
 * model on the same frame gives back the stored outputs at once, on any machine sharing the cache.
 * An entry is a folder holding the output files and {@code record.json} with their digests; it appears
 * whole (staged, then renamed) and is verified before use.
 */
public final class BatchCache {
    private static final String RECORD = "record.json";
    private final Path root;

    public BatchCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The key of running {@code model} on {@code inputs} (name to file) into outputs of these file types. */
    public static String key(ModelPackage model, Map<String, Path> inputs, Map<String, Path> outputs) throws IOException {
        return key(model, inputs, outputs, "");
    }

    /** As above, for outputs written with {@code writeSettings} (e.g. an EXR compression), which change their bytes. */
    public static String key(ModelPackage model, Map<String, Path> inputs, Map<String, Path> outputs, String writeSettings)
            throws IOException {
        StringBuilder text = new StringBuilder("manifest ").append(Sha256.ofBytes(ManifestWriter.toJson(model.manifest())
                .getBytes(StandardCharsets.UTF_8))).append('\n');
        for (Map.Entry<String, Path> in : new TreeMap<>(inputs).entrySet()) {
            text.append("input ").append(in.getKey()).append(' ').append(Sha256.ofFile(in.getValue())).append('\n');
        }
        for (Map.Entry<String, Path> out : new TreeMap<>(outputs).entrySet()) {
            text.append("output ").append(out.getKey()).append(' ').append(extension(out.getValue())).append('\n');
        }
        if (!writeSettings.isEmpty()) {
            text.append("written ").append(writeSettings).append('\n');
        }
        return Sha256.ofBytes(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether every output already holds exactly what the entry for {@code key} recorded. */
    public boolean outputsMatch(String key, Map<String, Path> outputs) throws IOException {
        Optional<Map<String, String>> digests = record(key);
        if (digests.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            String expected = digests.get().get(out.getKey());
            if (expected == null || !Files.isRegularFile(out.getValue()) || !Sha256.ofFile(out.getValue()).equals(expected)) {
                return false;
            }
        }
        return true;
    }

    /** Copies the stored outputs of {@code key} to {@code outputs}, if a verified entry exists; says whether it did. */
    public boolean restore(String key, Map<String, Path> outputs) throws IOException {
        Optional<Map<String, String>> digests = record(key);
        if (digests.isEmpty()) {
            return false;
        }
        Path entry = entry(key);
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            Path stored = entry.resolve(out.getKey() + extension(out.getValue()));
            String expected = digests.get().get(out.getKey());
            if (expected == null || !Files.isRegularFile(stored) || !Sha256.ofFile(stored).equals(expected)) {
                FileTrees.deleteQuietly(entry); // damaged: dropped, and the frame runs again
                return false;
            }
        }
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            Path stored = entry.resolve(out.getKey() + extension(out.getValue()));
            AtomicFiles.write(out.getValue(), stream -> Files.copy(stored, stream));
        }
        return true;
    }

    /** Forgets the entry for {@code key}, if there is one. */
    public void drop(String key) {
        FileTrees.deleteQuietly(entry(key));
    }

    /** Keeps copies of a frame's outputs under {@code key}. */
    public void store(String key, Map<String, Path> outputs) throws IOException {
        Path entry = entry(key);
        if (Files.isDirectory(entry)) {
            return;
        }
        Files.createDirectories(entry.getParent());
        Path staging = Files.createDirectory(AtomicFiles.siblingName(entry, ".staging"));
        try {
            JsonObject record = new JsonObject();
            for (Map.Entry<String, Path> out : outputs.entrySet()) {
                Path copy = staging.resolve(out.getKey() + extension(out.getValue()));
                Files.copy(out.getValue(), copy, StandardCopyOption.REPLACE_EXISTING);
                record.addProperty(out.getKey(), Sha256.ofFile(copy));
            }
            Files.writeString(staging.resolve(RECORD), record.toString());
            try {
                AtomicFiles.moveIntoPlace(staging, entry);
            } catch (IOException raced) {
                if (!Files.isDirectory(entry)) {
                    throw raced; // otherwise another worker stored the same frame first
                }
            }
        } finally {
            FileTrees.deleteQuietly(staging);
        }
    }

    private Optional<Map<String, String>> record(String key) {
        Path file = entry(key).resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, String> digests = new TreeMap<>();
            JsonParser.parseString(Files.readString(file)).getAsJsonObject().entrySet()
                    .forEach(e -> digests.put(e.getKey(), e.getValue().getAsString()));
            return Optional.of(digests);
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty();
        }
    }

    private Path entry(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new ConduitException(ErrorCode.INTERNAL, "not a cache key: " + key);
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
    }
}
