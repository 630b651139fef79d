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
 * it ("zip slip") are refused. The package may sit at the zip's root or inside one top folder, as
 * zipping a package folder in a file browser produces.
 */
final class ZipExtractor {
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
            for (ZipEntry entry; (entry = nextEntry(in, zip)) != null; ) {
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
                    try {
                        Files.copy(in, target);
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
