package io.conduit.core.pkg;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a zipped model package into a private temporary folder. Entries that would land outside
 * it ("zip slip") are refused, and so is a zip that expands beyond what a model package plausibly
 * holds ("zip bomb"): more than {@link #MAX_ENTRIES} entries, more than {@link #MAX_TOTAL_BYTES}, or,
 * past the first MiB, more than {@link #MAX_RATIO} times the zip's own size (weights compress by a
 * few percent, so a ratio in the hundreds is not a model). The package may sit at the zip's root or
 * inside one top folder, as zipping a package folder in a file browser produces.
 */
final class ZipExtractor {
    static final int MAX_ENTRIES = 100_000;
    static final long MAX_TOTAL_BYTES = 64L << 30;
    static final long MAX_RATIO = 200;
    private static final long RATIO_FREE_BYTES = 1L << 20;

    private ZipExtractor() {
    }

    private static ZipEntry nextEntry(ZipInputStream in, Path zip) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException badName) {
            throw new IntegrityException(zip + " holds an entry whose name is not valid UTF-8; re-create the zip", badName);
        }
    }

    /** Extracts {@code zip} and returns the folder holding {@code conduit.json}. */
    static Path extract(Path zip, Path into) {
        try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
            long zipBytes = Files.size(zip);
            long written = 0;
            int entries = 0;
            for (ZipEntry entry; (entry = nextEntry(in, zip)) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new IntegrityException(zip + " holds more than " + MAX_ENTRIES + " entries; a model package"
                            + " holds a few files: refusing to unpack it");
                }
                Path target;
                try {
                    target = into.resolve(entry.getName()).normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    throw new IntegrityException(zip + ": entry name " + entry.getName() + " is not a valid path");
                }
                if (ModelPackage.isClutter(into.relativize(target))) {
                    continue;
                }
                if (!target.startsWith(into)) {
                    throw new IntegrityException(zip + ": entry " + entry.getName() + " points outside the package;"
                            + " expected relative paths only");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (var out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                        byte[] buffer = new byte[1 << 16];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            written += n;
                            if (written > MAX_TOTAL_BYTES
                                    || (written > RATIO_FREE_BYTES && written > MAX_RATIO * Math.max(1, zipBytes))) {
                                throw new IntegrityException(zip + " (" + zipBytes + " bytes) expands to more than "
                                        + written + " bytes, beyond what a model package holds (at most " + MAX_RATIO
                                        + " times its zip, " + (MAX_TOTAL_BYTES >> 30) + " GiB in all): refusing to unpack it");
                            }
                            out.write(buffer, 0, n);
                        }
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        throw new IntegrityException(zip + " holds " + entry.getName() + " twice; expected each file once");
                    }
                }
            }
        } catch (ZipException e) {
            throw new IntegrityException(zip + " is not a readable zip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot unpack " + zip + ": " + e.getMessage(), e);
        }
        if (Files.isRegularFile(into.resolve(ModelPackage.MANIFEST))) {
            return into;
        }
        try (var children = Files.list(into)) {
            var folders = children.filter(Files::isDirectory).filter(p -> !ModelPackage.isClutter(into.relativize(p))).toList();
            if (folders.size() == 1 && Files.isRegularFile(folders.get(0).resolve(ModelPackage.MANIFEST))) {
                return folders.get(0);
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + into + ": " + e.getMessage(), e);
        }
        throw new ConduitException(ErrorCode.FILE_NOT_FOUND, zip + " holds no " + ModelPackage.MANIFEST
                + " at its root or in a single top folder; expected a zipped model package");
    }
}
