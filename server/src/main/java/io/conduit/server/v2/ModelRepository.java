package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageHeader;
import io.conduit.core.triton.TritonVersion;
import io.conduit.core.triton.TritonVersionMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every model version a service was started with, by name and version: package folders and .zip
 * files of a folder (any depth of one), a registry's versions or a workstation cache's. The
 * repository is built in milliseconds from what each package's header declares, before any package
 * is verified or loaded, so the service can open its port at once and answer for every model
 * (loading, ready, or unavailable and why) while a {@link ModelLoader} loads them in the background.
 * A package that fails is listed in {@link #problems()}, so one bad package never takes the others
 * offline.
 */
public final class ModelRepository implements AutoCloseable {
    private final Map<String, NavigableMap<SemVer, ModelSlot>> models = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    /** A version segment of digits only: Triton's integer versions (a semantic version always has dots). */
    private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("[0-9]+");

    private ModelRepository() {
    }

    /** The packages of {@code root}, known from their headers; none is verified or loaded yet. */
    public static ModelRepository load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "models folder " + root + " does not exist;"
                    + " expected a folder of model packages");
        }
        ModelRepository repository = new ModelRepository();
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.sorted().toList()) {
                boolean candidate = Files.isRegularFile(child.resolve(ModelPackage.MANIFEST))
                        || child.getFileName().toString().endsWith(".zip");
                if (candidate) {
                    repository.add(child);
                }
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + e.getMessage(), e);
        }
        return repository;
    }

    private void add(Path path) {
        PackageHeader header;
        try {
            header = PackageHeader.read(path);
        } catch (ConduitException e) {
            problems.add(path.getFileName() + ": " + e.describe());
            return;
        }
        Manifest m = header.manifest();
        add(new ModelSlot(m.name(), m.version(), path.getFileName().toString(), m, header.digest(),
                () -> ModelPackage.open(path)));
    }

    private void add(ModelSlot slot) {
        var versions = models.computeIfAbsent(slot.name(), n -> new TreeMap<>());
        ModelSlot previous = versions.putIfAbsent(slot.version(), slot);
        if (previous != null) {
            problems.add(slot.source() + ": " + slot.coordinate() + " is also in " + previous.source() + "; kept the first");
        }
    }

    /**
     * Every version of every model in {@code registry}, each to be pulled into {@code cache} (verified,
     * signatures included) when loaded; a version that fails is reported unavailable with the reason.
     */
    public static ModelRepository fromRegistry(io.conduit.core.registry.Registry registry,
                                               io.conduit.core.registry.ModelCache cache) {
        return fromRegistry(registry, cache, false);
    }

    /**
     * As above; with {@code resolvableOnly}, only the versions some artist's rollout resolves to
     * (what a workstation agent needs), not every version ever published.
     */
    public static ModelRepository fromRegistry(io.conduit.core.registry.Registry registry,
                                               io.conduit.core.registry.ModelCache cache, boolean resolvableOnly) {
        ModelRepository repository = new ModelRepository();
        for (String name : registry.models()) {
            for (SemVer version : resolvableOnly ? registry.resolvableVersions(name) : registry.versions(name)) {
                repository.add(new ModelSlot(name, version, name + "@" + version + " in the registry", null, null,
                        () -> cache.pull(registry, name, version)));
            }
        }
        return repository;
    }

    /**
     * The verified packages already in a workstation cache ({@code CACHE/NAME/VERSION}): what the
     * agent serves when the registry cannot be reached.
     */
    public static ModelRepository fromCache(io.conduit.core.registry.ModelCache cache) {
        ModelRepository repository = new ModelRepository();
        for (Map.Entry<String, List<SemVer>> model : cache.contents().entrySet()) {
            for (SemVer version : model.getValue()) {
                String name = model.getKey();
                repository.add(new ModelSlot(name, version, name + "@" + version + " in the cache", null, null,
                        () -> cache.open(name, version).orElseThrow(() -> new ConduitException(ErrorCode.FILE_NOT_FOUND,
                                name + "@" + version + " is no longer in the cache " + cache.root()))));
            }
        }
        return repository;
    }

    /**
     * The named version, or the newest when {@code version} is null or empty, loaded; a version
     * still loading, or that failed to load, is answered {@link ErrorCode#MODEL_NOT_READY} (503)
     * with the reason, an unknown one {@link ErrorCode#MODEL_NOT_FOUND}.
     */
    public ModelPackage find(String name, String version) {
        return slot(name, version).require();
    }

    /** The named version (the newest for null or empty) in whatever state it is. */
    ModelSlot slot(String name, String version) {
        NavigableMap<SemVer, ModelSlot> versions = models.get(name);
        if (versions == null) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "unknown model \"" + name + "\"; this server has "
                    + models.keySet());
        }
        if (version == null || version.isEmpty()) {
            return versions.lastEntry().getValue();
        }
        if (NUMBERED.matcher(version).matches()) {
            return numbered(name, versions, version);
        }
        SemVer wanted;
        try {
            wanted = SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "model " + name + " has no version \"" + version
                    + "\"; it has " + versions.keySet());
        }
        ModelSlot slot = versions.get(wanted);
        if (slot == null) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "model " + name + " has no version " + version
                    + "; it has " + versions.keySet());
        }
        return slot;
    }

    /**
     * Triton's integer versions for {@code name}: 1 for the oldest semantic version configured, 2 for
     * the next, and so on, each with its manifest sha256 (empty until a registry version is pulled),
     * so Triton's clients and tooling reach {@code conduit serve} on the routes they use for Triton,
     * and Conduit's client checks both the same way. The numbers are fixed from start, whatever
     * order the versions load in, and a version that fails to load keeps its number.
     */
    public TritonVersionMap tritonVersions(String name) {
        NavigableMap<SemVer, ModelSlot> versions = models.get(name);
        List<TritonVersion> numbered = new ArrayList<>();
        if (versions != null) {
            long number = 1;
            for (ModelSlot slot : versions.values()) {
                numbered.add(new TritonVersion(number++, slot.version(), slot.digest()));
            }
        }
        return new TritonVersionMap(numbered);
    }

    /** The integer version {@code pkg} is served under. */
    public long tritonNumber(ModelPackage pkg) {
        return tritonVersions(pkg.manifest().name()).find(pkg.manifest().version()).orElseThrow().number();
    }

    private ModelSlot numbered(String name, NavigableMap<SemVer, ModelSlot> versions, String number) {
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            n = -1;
        }
        var found = tritonVersions(name).find(n);
        if (found.isEmpty()) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "model " + name + " has no version " + number
                    + "; its numbered versions are " + tritonVersions(name).versions().stream()
                    .map(v -> v.number() + " (" + v.version() + ")").toList());
        }
        return versions.get(found.get().version());
    }

    /** Every package loaded so far, by name then version. */
    public List<ModelPackage> all() {
        List<ModelPackage> all = new ArrayList<>();
        models.values().forEach(v -> v.values().forEach(slot -> slot.loaded().ifPresent(all::add)));
        return all;
    }

    /**
     * Waits up to {@code timeout} for one model version (the newest for a null version) to be ready
     * or unavailable, and says which; {@link ModelState#LOADING} when the time ran out.
     */
    public ModelState awaitModel(String name, String version, java.time.Duration timeout) throws InterruptedException {
        return slot(name, version).await(timeout);
    }

    /** Every configured model version and where it stands now. */
    public List<ModelStatus> status() {
        return slots().stream().map(s -> new ModelStatus(s.name(), s.version().toString(), s.state(), s.reason()))
                .toList();
    }

    /** Every configured model version, loaded or not, by name then version. */
    List<ModelSlot> slots() {
        List<ModelSlot> all = new ArrayList<>();
        models.values().forEach(v -> all.addAll(v.values()));
        return all;
    }

    /** Every configured version of {@code name}, loaded or not. */
    public List<SemVer> versions(String name) {
        var versions = models.get(name);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** Packages left out at start (unreadable, duplicates) and versions that failed to load, each with the reason. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        for (ModelSlot slot : slots()) {
            if (slot.state() == ModelState.UNAVAILABLE) {
                all.add(slot.source() + ": " + slot.reason());
            }
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public void close() {
        all().forEach(ModelPackage::close);
    }
}
