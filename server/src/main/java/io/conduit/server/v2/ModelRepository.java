package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
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
 * Every model package found in a folder (package folders and .zip files, any depth of one), by
 * name and version. A package that fails validation is left out and listed in {@link #problems()}
 * so one bad package never takes the others offline.
 */
public final class ModelRepository implements AutoCloseable {
    private final Map<String, NavigableMap<SemVer, ModelPackage>> models = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, TritonVersionMap> tritonVersions = new java.util.concurrent.ConcurrentHashMap<>();
    /** A version segment of digits only: Triton's integer versions (a semantic version always has dots). */
    private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("[0-9]+");

    private ModelRepository() {
    }

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
        ModelPackage pkg;
        try {
            pkg = ModelPackage.open(path);
        } catch (ConduitException e) {
            problems.add(path.getFileName() + ": " + e.describe());
            return;
        }
        var versions = models.computeIfAbsent(pkg.manifest().name(), n -> new TreeMap<>());
        ModelPackage previous = versions.putIfAbsent(pkg.manifest().version(), pkg);
        if (previous != null) {
            problems.add(path.getFileName() + ": " + pkg.manifest().coordinate() + " is also in another package; kept the first");
            pkg.close();
        }
    }

    /**
     * Every version of every model in {@code registry}, pulled into {@code cache} (verified, signatures
     * included); a version that fails is listed in {@link #problems()} and left out.
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
                try {
                    ModelPackage pkg = cache.pull(registry, name, version);
                    repository.models.computeIfAbsent(name, n -> new TreeMap<>()).put(version, pkg);
                } catch (ConduitException e) {
                    repository.problems.add(name + "@" + version + ": " + e.describe());
                } catch (RuntimeException e) {
                    repository.problems.add(name + "@" + version + ": " + e); // one bad version never stops the service
                }
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
        for (java.util.Map.Entry<String, java.util.List<SemVer>> model : cache.contents().entrySet()) {
            for (SemVer version : model.getValue()) {
                try {
                    cache.open(model.getKey(), version).ifPresent(pkg -> repository.models
                            .computeIfAbsent(model.getKey(), n -> new TreeMap<>()).put(version, pkg));
                } catch (RuntimeException e) {
                    repository.problems.add(model.getKey() + "@" + version + " in the cache: " + e.getMessage());
                }
            }
        }
        return repository;
    }

    /** The named version, or the newest when {@code version} is null or empty. */
    public ModelPackage find(String name, String version) {
        NavigableMap<SemVer, ModelPackage> versions = models.get(name);
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
        ModelPackage pkg = versions.get(wanted);
        if (pkg == null) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "model " + name + " has no version " + version
                    + "; it has " + versions.keySet());
        }
        return pkg;
    }

    /**
     * Triton's integer versions for {@code name}: 1 for the oldest semantic version served, 2 for
     * the next, and so on, each with its manifest sha256, so Triton's clients and tooling reach
     * {@code conduit serve} on the routes they use for Triton, and Conduit's client checks both
     * the same way. Fixed while the server runs, as the packages are.
     */
    public TritonVersionMap tritonVersions(String name) {
        return tritonVersions.computeIfAbsent(name, n -> {
            NavigableMap<SemVer, ModelPackage> versions = models.get(n);
            List<TritonVersion> numbered = new ArrayList<>();
            if (versions != null) {
                long number = 1;
                for (Map.Entry<SemVer, ModelPackage> v : versions.entrySet()) {
                    numbered.add(new TritonVersion(number++, v.getKey(), v.getValue().digest()));
                }
            }
            return new TritonVersionMap(numbered);
        });
    }

    /** The integer version {@code pkg} is served under. */
    public long tritonNumber(ModelPackage pkg) {
        return tritonVersions(pkg.manifest().name()).find(pkg.manifest().version()).orElseThrow().number();
    }

    private ModelPackage numbered(String name, NavigableMap<SemVer, ModelPackage> versions, String number) {
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

    /** Every package, by name then version. */
    public List<ModelPackage> all() {
        List<ModelPackage> all = new ArrayList<>();
        models.values().forEach(v -> all.addAll(v.values()));
        return all;
    }

    public List<SemVer> versions(String name) {
        var versions = models.get(name);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    @Override
    public void close() {
        all().forEach(ModelPackage::close);
    }
}
