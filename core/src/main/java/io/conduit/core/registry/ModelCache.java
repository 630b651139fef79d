package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The workstation's copies of pulled packages ({@code CACHE/NAME/VERSION}), verified on the way in
 * and bounded in size: when the total passes the bound, the least recently used versions are
 * removed (the time of a {@code VERSION.last-used} file beside each records its use; inside the
 * package it would break the package's own file list). When the registry cannot be reached,
 * the cached versions still serve, after the same checks as a pull: the version record kept beside
 * each copy ({@link CachedRecord}) is verified against the trust policy, then every digest.
 */
public final class ModelCache {
    private static final String LAST_USED = ".last-used";

    private final Path root;
    private final long maxBytes;
    private final TrustPolicy trust;

    /** A cache whose offline copies are checked as {@link TrustPolicy#permissive()} would: for tests and scratch use. */
    public ModelCache(Path root, long maxBytes) {
        this(root, maxBytes, TrustPolicy.permissive());
    }

    /** A cache whose copies, used offline, must pass {@code trust} as a pull through the registry would. */
    public ModelCache(Path root, long maxBytes, TrustPolicy trust) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.trust = trust;
    }

    public Path root() {
        return root;
    }

    /** Pulls (or reuses) the version through the registry, marks it used, and trims the cache. */
    public ModelPackage pull(Registry registry, String name, SemVer version) {
        return pull(registry, name, version, io.conduit.core.io.Progress.NONE);
    }

    /** As above, reporting the bytes copied to {@code progress}. */
    public ModelPackage pull(Registry registry, String name, SemVer version, io.conduit.core.io.Progress progress) {
        ModelPackage pkg = registry.pull(name, version, root, progress);
        touch(pkg.root());
        trim(pkg.root());
        return pkg;
    }

    /**
     * The cached copy of a version, if there is one, verified as a pull would be: its kept record's signature
     * against this cache's trust policy, then every file's digest. A copy that fails is refused with
     * {@link io.conduit.core.IntegrityException}, never served.
     */
    public Optional<ModelPackage> open(String name, SemVer version) {
        Path dir = root.resolve(name).resolve(version.toString());
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        CachedRecord.verify(dir, name, version, trust);
        touch(dir);
        return Optional.of(ModelPackage.open(dir));
    }

    /**
     * The version record kept with the cached copy, as of its last pull: what an offline user is told
     * about the version (a yank, with its reason). Empty when no copy or no record is kept.
     */
    public Optional<VersionRecord> record(String name, SemVer version) {
        return CachedRecord.read(root.resolve(name).resolve(version.toString()), name, version);
    }

    /** Every model held here with its versions, oldest first. */
    public java.util.Map<String, List<SemVer>> contents() {
        java.util.Map<String, List<SemVer>> contents = new java.util.TreeMap<>();
        if (!Files.isDirectory(root)) {
            return contents;
        }
        try (Stream<Path> models = Files.list(root)) {
            for (Path model : models.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(model)) {
                    List<SemVer> held = versions.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                            .flatMap(v -> {
                                try {
                                    return Stream.of(SemVer.parse(v));
                                } catch (IllegalArgumentException staging) {
                                    return Stream.empty();
                                }
                            }).sorted().toList();
                    if (!held.isEmpty()) {
                        contents.put(model.getFileName().toString(), held);
                    }
                }
            }
        } catch (IOException e) {
            return contents;
        }
        return contents;
    }

    /** The newest version of a model held here. */
    public Optional<SemVer> newest(String name) {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(dir)) {
            return versions.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .flatMap(v -> {
                        try {
                            return Stream.of(SemVer.parse(v));
                        } catch (IllegalArgumentException staging) {
                            return Stream.empty();
                        }
                    }).max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Removes least recently used versions until the cache fits its bound, never {@code keep}. */
    void trim(Path keep) {
        List<Path> entries = entries();
        long total = entries.stream().mapToLong(ModelCache::size).sum();
        entries.sort(Comparator.comparing(ModelCache::lastUsed));
        for (Path entry : entries) {
            if (total <= maxBytes) {
                return;
            }
            if (!entry.equals(keep)) {
                total -= size(entry);
                evict(entry);
            }
        }
    }

    /**
     * Renames the version away first, so a reader never finds it half-deleted (a later pull finds it
     * absent and fetches it again), then deletes it.
     */
    private static void evict(Path entry) {
        Path trash = entry.resolveSibling("." + entry.getFileName() + ".evicted-" + System.nanoTime());
        try {
            Files.move(entry, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // in use on a platform that forbids the rename: keep it this time
        }
        FileTrees.deleteQuietly(trash);
        FileTrees.deleteQuietly(marker(entry));
        FileTrees.deleteQuietly(CachedRecord.of(entry));
    }

    private List<Path> entries() {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (Stream<Path> models = Files.list(root)) {
            for (Path model : models.filter(Files::isDirectory).toList()) {
                try (Stream<Path> versions = Files.list(model)) {
                    // Only finished versions: another process's ".VERSION....pulling" staging folder is not ours to evict.
                    versions.filter(p -> !p.getFileName().toString().startsWith("."))
                            .filter(p -> Files.isRegularFile(p.resolve(ModelPackage.MANIFEST))).forEach(entries::add);
                }
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list the cache " + root + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private static Path marker(Path dir) {
        return dir.resolveSibling(dir.getFileName() + LAST_USED);
    }

    private static void touch(Path dir) {
        Path marker = marker(dir);
        try {
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // a read-only cache still serves; it just cannot rank what it holds
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(marker(dir));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
