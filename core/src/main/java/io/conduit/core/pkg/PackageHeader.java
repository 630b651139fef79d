package io.conduit.core.pkg;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a package says about itself, read from its {@code conduit.json} alone: the validated manifest
 * and the manifest's sha256 (the package's {@link ModelPackage#digest() digest}), without checking
 * any other file's digest or unpacking a zip. A service reads every package's header in
 * milliseconds when it starts, so it knows each model's name and version (and can answer "still
 * loading" for it) while the packages are verified and loaded in the background; nothing is trusted
 * until {@link ModelPackage#open} has verified the whole package.
 *
 * @param manifest the manifest, validated as {@link ManifestReader} validates it
 * @param digest lowercase hex sha256 of the {@code conduit.json} bytes
 */
public record PackageHeader(Manifest manifest, String digest) {
    /** Largest {@code conduit.json} read from a zip; manifests are a few KiB. */
    private static final int MAX_MANIFEST_BYTES = 16 << 20;

    /** The header of the package folder or .zip at {@code path}, laid out as {@link ModelPackage#open} accepts. */
    public static PackageHeader read(Path path) {
        if (Files.isDirectory(path)) {
            Path file = path.resolve(ModelPackage.MANIFEST);
            Manifest manifest = ManifestReader.read(file);
            try {
                return new PackageHeader(manifest, Sha256.ofFile(file));
            } catch (IOException e) {
                throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry entry = manifestEntry(zip, path);
            if (entry.getSize() > MAX_MANIFEST_BYTES) {
                throw new ConduitException(ErrorCode.MANIFEST_INVALID, path + ": " + entry.getName() + " is "
                        + entry.getSize() + " bytes; a manifest is a few KiB");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            }
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new ConduitException(ErrorCode.MANIFEST_INVALID, path + ": " + entry.getName()
                        + " is larger than " + MAX_MANIFEST_BYTES + " bytes; a manifest is a few KiB");
            }
            Manifest manifest;
            try {
                manifest = ManifestReader.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (io.conduit.core.ManifestException invalid) {
                throw new io.conduit.core.ManifestException(path + "!" + entry.getName() + ": "
                        + invalid.getMessage(), invalid);
            }
            return new PackageHeader(manifest, Sha256.ofBytes(bytes));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_FORMAT, path + " cannot be read as a zip: " + e.getMessage(), e);
        }
    }

    /** {@code conduit.json} at the zip's root, or in its single top folder, as {@link ZipExtractor} finds it. */
    private static ZipEntry manifestEntry(ZipFile zip, Path path) {
        ZipEntry atRoot = zip.getEntry(ModelPackage.MANIFEST);
        if (atRoot != null && !atRoot.isDirectory()) {
            return atRoot;
        }
        List<ZipEntry> nested = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            int slash = name.indexOf('/');
            if (!e.isDirectory() && slash > 0 && name.substring(slash + 1).equals(ModelPackage.MANIFEST)) {
                nested.add(e);
            }
        }
        if (nested.size() != 1) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, path + " holds no " + ModelPackage.MANIFEST
                    + " at its root or in a single top folder; expected a zipped model package");
        }
        return nested.get(0);
    }
}
