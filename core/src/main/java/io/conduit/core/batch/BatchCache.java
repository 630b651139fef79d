package io.conduit.core.batch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.Route;
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
 * An entry is a folder holding the output files and {@code record.json} with their digests and who
 * filled it ({@link Filler}: the route and, when it is proven, the digest of the package that ran); it
 * appears whole (staged, then renamed) and is verified before use. An entry answers only a run that
 * would compute the same thing (see {@link Filler#answers}); older entries, which do not say who filled
 * them, answer nothing and are replaced when their frame runs again.
 */
public final class BatchCache {
    private static final String RECORD = "record.json";

    /**
     * Who filled an entry: the route label ({@code local-cpu}, {@code local-gpu}, {@code remote}) and the
     * digest ({@link ModelPackage#digest()}) of the package that ran, when the route proved it: a local
     * route always does (it ran the package the key was made from), a service only when it answered the
     * same package digest. An older service that does not say leaves an entry without one.
     */
    public record Filler(String route, Optional<String> packageDigest) {
        /**
         * Whether this entry may answer a run asking for {@code device} with the package whose digest is
         * {@code packageDigest}: any run when the entry is proven to come from that package (whichever
         * route computed it), otherwise only a remote run, from an entry a remote run filled; never a
         * local run from a service's unproven result, never a remote run from another route's.
         */
        public boolean answers(DevicePreference device, String packageDigest) {
            if (this.packageDigest.isPresent()) {
                return this.packageDigest.get().equals(packageDigest);
            }
            return device == DevicePreference.REMOTE && route.equals(Route.REMOTE.label());
        }
    }

    /** The digest an entry filled by running {@code model} records when the route proved it ran it. */
    public static String packageDigest(ModelPackage model) {
        return model.digest();
    }

    private final Path root;
    private final long maxBytes;

    /** A cache with no size bound. */
    public BatchCache(Path root) {
        this(root, Long.MAX_VALUE);
    }

    /** A cache that {@link #prune} keeps within {@code maxBytes}, removing the least recently used entries. */
    public BatchCache(Path root, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the batch cache's bound must be 0 or more bytes, not " + maxBytes);
        }
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    public Path root() {
        return root;
    }

    /** What {@link #prune} did: entries and bytes removed, and what is left. */
    public record Pruned(int removed, long freedBytes, int kept, long keptBytes) {
    }

    /** Removes least recently used entries (and old leftovers of interrupted work) until the cache fits its bound. */
    public Pruned prune() {
        return CachePruner.prune(root, maxBytes);
    }

    /** The key of running {@code model} on {@code inputs} (name to file) into outputs of these file types. */
    public static String key(ModelPackage model, Map<String, Path> inputs, Map<String, Path> outputs) throws IOException {
        return key(model, inputs, outputs, "");
    }

    /**
     * How files map to tensors, part of every key: raised when that mapping changes, so entries made by the old one
     * (before EXR files honoured {@code valueRange}) are never answered for the new one.
     */
    private static final String FILE_MAPPING = "mapping 2\n";

    /** As above, for outputs written with {@code writeSettings} (e.g. an EXR compression), which change their bytes. */
    public static String key(ModelPackage model, Map<String, Path> inputs, Map<String, Path> outputs, String writeSettings)
            throws IOException {
        StringBuilder text = new StringBuilder(FILE_MAPPING).append("manifest ").append(Sha256.ofBytes(ManifestWriter.toJson(model.manifest())
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

    /** Who filled the entry for {@code key}, if there is a readable one. */
    public Optional<Filler> filler(String key) {
        return record(key).map(Record::filler);
    }

    /** Whether every output already holds exactly what the entry for {@code key} recorded. */
    public boolean outputsMatch(String key, Map<String, Path> outputs) throws IOException {
        Optional<Map<String, String>> digests = record(key).map(Record::outputs);
        if (digests.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            String expected = digests.get().get(out.getKey());
            if (expected == null || !Files.isRegularFile(out.getValue()) || !Sha256.ofFile(out.getValue()).equals(expected)) {
                return false;
            }
        }
        CachePruner.touch(entry(key));
        return true;
    }

    /** Copies the stored outputs of {@code key} to {@code outputs}, if a verified entry exists; says whether it did. */
    public boolean restore(String key, Map<String, Path> outputs) throws IOException {
        Optional<Map<String, String>> digests = record(key).map(Record::outputs);
        if (digests.isEmpty()) {
            return false;
        }
        Path entry = entry(key);
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            Path stored = entry.resolve(out.getKey() + extension(out.getValue()));
            String expected = digests.get().get(out.getKey());
            if (expected == null || !Files.isRegularFile(stored) || !Sha256.ofFile(stored).equals(expected)) {
                CachePruner.remove(entry); // damaged: dropped, and the frame runs again
                return false;
            }
        }
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            Path stored = entry.resolve(out.getKey() + extension(out.getValue()));
            AtomicFiles.write(out.getValue(), stream -> Files.copy(stored, stream));
        }
        CachePruner.touch(entry);
        return true;
    }

    /** Forgets the entry for {@code key}, if there is one. */
    public void drop(String key) {
        CachePruner.remove(entry(key));
    }

    /** Keeps copies of a frame's outputs under {@code key}, saying who computed them. */
    public void store(String key, Map<String, Path> outputs, Filler filledBy) throws IOException {
        Path entry = entry(key);
        if (Files.isDirectory(entry)) {
            return;
        }
        Files.createDirectories(entry.getParent());
        Path staging = Files.createDirectory(AtomicFiles.siblingName(entry, ".staging"));
        try {
            JsonObject digests = new JsonObject();
            for (Map.Entry<String, Path> out : outputs.entrySet()) {
                Path copy = staging.resolve(out.getKey() + extension(out.getValue()));
                Files.copy(out.getValue(), copy, StandardCopyOption.REPLACE_EXISTING);
                digests.addProperty(out.getKey(), Sha256.ofFile(copy));
            }
            JsonObject record = new JsonObject();
            record.add("outputs", digests);
            record.addProperty("route", filledBy.route());
            filledBy.packageDigest().ifPresent(d -> record.addProperty("package", d));
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

    /** An entry's record: output digests and who filled it. */
    private record Record(Map<String, String> outputs, Filler filler) {
    }

    private Optional<Record> record(String key) {
        Path file = entry(key).resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!json.has("outputs")) {
                // Written before entries said who filled them: nothing proves what computed it.
                return Optional.of(new Record(Map.of(), new Filler("unknown", Optional.empty())));
            }
            Map<String, String> digests = new TreeMap<>();
            json.getAsJsonObject("outputs").entrySet().forEach(e -> digests.put(e.getKey(), e.getValue().getAsString()));
            Optional<String> pkg = json.has("package") ? Optional.of(json.get("package").getAsString()) : Optional.empty();
            return Optional.of(new Record(digests, new Filler(json.get("route").getAsString(), pkg)));
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
