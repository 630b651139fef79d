package io.conduit.core.pkg;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An opened model package: a folder (or a .zip of one) holding {@code conduit.json} and the files
 * it lists. Opening validates the manifest and checks the sha256 of every file against it, so code
 * holding a {@code ModelPackage} can trust both. A zipped package is unpacked into a temporary
 * folder that {@link #close()} removes.
 */
public final class ModelPackage implements AutoCloseable {
    public static final String MANIFEST = "conduit.json";

    /** Files operating systems drop into folders and zips on their own; never part of a package. */
    static final java.util.Set<String> OS_CLUTTER = java.util.Set.of(".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX");

    static boolean isClutter(Path relative) {
        for (Path part : relative) {
            if (OS_CLUTTER.contains(part.toString()) || part.toString().startsWith("._")) {
                return true;
            }
        }
        return false;
    }

    private final Path root;
    private final Manifest manifest;
    private final Path extractedTo;
    private final String digest;

    private ModelPackage(Path root, Manifest manifest, Path extractedTo) {
        this.root = root;
        this.manifest = manifest;
        this.extractedTo = extractedTo;
        try {
            this.digest = Sha256.ofFile(root.resolve(MANIFEST));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + root.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    /** Opens, validates and verifies the package at {@code path}: a folder or a .zip file. */
    public static ModelPackage open(Path path) {
        if (!Files.exists(path)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no model package at " + path
                    + "; expected a folder or .zip holding " + MANIFEST);
        }
        if (Files.isDirectory(path)) {
            return new ModelPackage(path, verify(path), null);
        }
        if (!path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            throw new ConduitException(ErrorCode.USAGE, path + " is neither a package folder nor a .zip;"
                    + " expected a model package (a folder or .zip holding " + MANIFEST + ")");
        }
        Path temp;
        try {
            temp = Files.createTempDirectory("conduit-package-");
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            Path root = ZipExtractor.extract(path, temp);
            return new ModelPackage(root, verify(root), temp);
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(temp);
            throw e;
        }
    }

    private static Manifest verify(Path root) {
        Manifest manifest = ManifestReader.read(root.resolve(MANIFEST));
        for (Map.Entry<String, String> entry : manifest.files().entrySet()) {
            Path file = root.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new IntegrityException("package " + root + " lacks " + entry.getKey()
                        + ", which its manifest lists under files");
            }
            String actual;
            try {
                actual = Sha256.ofFile(file);
            } catch (IOException e) {
                throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!actual.equals(entry.getValue())) {
                throw new IntegrityException("package file " + entry.getKey() + " in " + root + " has sha256 " + actual
                        + " but the manifest records " + entry.getValue() + "; the file was changed or damaged"
                        + " after packaging: copy the package again from where it was published (if you changed it"
                        + " on purpose, conduit seal records the new digest, and the package is then a new version)");
            }
        }
        TreeSet<String> unlisted = new TreeSet<>(listFiles(root));
        unlisted.removeAll(manifest.files().keySet());
        unlisted.remove(MANIFEST);
        if (!unlisted.isEmpty()) {
            throw new IntegrityException("package " + root + " holds " + unlisted + ", which its manifest does not list"
                    + " under files; every file in a package must carry a sha256: remove it, or run conduit seal "
                    + root + " to list it");
        }
        return manifest;
    }

    private static java.util.List<String> listFiles(Path root) {
        try (Stream<Path> links = Files.walk(root)) {
            // A link could make a verified package read (or a publish copy) a file outside it.
            Path link = links.filter(p -> !p.equals(root) && Files.isSymbolicLink(p)).findFirst().orElse(null);
            if (link != null) {
                throw new IntegrityException("package " + root + " holds a symbolic link, " + root.relativize(link)
                        + "; copy the file itself into the package");
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + e.getMessage(), e);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !isClutter(root.relativize(p)))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .toList();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    /**
     * The sha256 of this package's {@code conduit.json} as stored. The manifest lists every file's
     * sha256, so two packages with the same digest hold the same bytes; a registry pull writes the
     * published manifest text verbatim, so a pulled copy keeps the publisher's digest.
     */
    public String digest() {
        return digest;
    }

    /** The folder holding the package's files (a temporary one for a zip). */
    public Path root() {
        return root;
    }

    public Path modelFile() {
        return root.resolve(manifest.modelFile());
    }

    @Override
    public void close() {
        if (extractedTo != null) {
            FileTrees.deleteQuietly(extractedTo);
        }
    }
}
