package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.FileTrees;
import io.conduit.core.io.Progress;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a version record and its content into a package folder {@code CACHE/NAME/VERSION}, the same
 * way for every backend: the signature is checked first, the files are assembled in a staging folder
 * beside the target, every digest is verified, and only then does the folder appear under its name.
 * A copy already there is reused only if its manifest is exactly the signed one. The record is kept
 * beside the copy ({@link CachedRecord}), so the copy can be verified the same way when the registry is
 * unreachable.
 */
final class VerifiedPull {
    /** Where a backend's content comes from, by sha256. */
    interface BlobSource {
        /** The blob's size in bytes, or 0 when unknown (only used for progress). */
        long size(String sha256) throws IOException;

        /** Copies the blob holding package file {@code fileName} to {@code dest}, reporting bytes to {@code progress}. */
        void copy(String sha256, String fileName, Path dest, Progress progress) throws IOException;
    }

    private VerifiedPull() {
    }

    static ModelPackage into(Path cacheDir, VersionRecord record, TrustPolicy trust, BlobSource blobs, Progress progress) {
        Path target = cacheDir.resolve(record.name()).resolve(record.version().toString());
        record.check(trust);
        if (Files.isDirectory(target)) {
            try {
                if (Files.readString(target.resolve(ModelPackage.MANIFEST), StandardCharsets.UTF_8)
                        .equals(record.manifestText())) {
                    CachedRecord.write(target, record); // a signature or yank added since the last pull
                    return ModelPackage.open(target);
                }
            } catch (IOException | ConduitException stale) {
                // damaged or half-evicted: fetched again below
            }
            FileTrees.deleteQuietly(target);
        }
        Manifest manifest = record.manifest();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createDirectory(AtomicFiles.siblingName(target, ".pulling"));
            Files.writeString(staging.resolve(ModelPackage.MANIFEST), record.manifestText(), StandardCharsets.UTF_8);
            long total = 0;
            for (String digest : manifest.files().values()) {
                total += blobs.size(digest);
            }
            progress.start("pulling " + manifest.coordinate(), total);
            try {
                for (Map.Entry<String, String> file : manifest.files().entrySet()) {
                    Path dest = staging.resolve(file.getKey());
                    Files.createDirectories(dest.getParent());
                    blobs.copy(file.getValue(), file.getKey(), dest, progress);
                }
            } finally {
                progress.finish();
            }
            ModelPackage.open(staging).close(); // verifies every digest before the package becomes visible
            CachedRecord.write(target, record); // first: a copy without its record is refused where signatures are required
            try {
                AtomicFiles.moveIntoPlace(staging, target);
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced; // otherwise another pull of the same version won: use its copy
                }
            }
            staging = null;
            return ModelPackage.open(target);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot pull " + manifest.coordinate() + " into " + cacheDir
                    + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteQuietly(staging);
        }
    }
}
