package io.conduit.core.registry;

import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The version record a cached copy was pulled under ({@code CACHE/NAME/VERSION.record.json}, beside the
 * package: inside it would break the package's own file list), kept so that a copy used while the registry
 * is unreachable passes the same signature check as a pull, not only its digests. Without it a copy whose
 * signing key has since left the trust store, or whose manifest was rewritten with matching digests, would
 * still run offline.
 */
final class CachedRecord {
    static final String SUFFIX = ".record.json";

    private CachedRecord() {
    }

    /** Where the record of the cached copy in {@code versionDir} lives. */
    static Path of(Path versionDir) {
        return versionDir.resolveSibling(versionDir.getFileName() + SUFFIX);
    }

    /** Keeps {@code record} beside the cached copy, replacing what a pull before it kept (a later sign or yank). */
    static void write(Path versionDir, VersionRecord record) {
        AtomicFiles.write(of(versionDir), out -> out.write(record.toJson().toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The kept record of the copy in {@code versionDir}, if one is there and readable; for warnings only. */
    static java.util.Optional<VersionRecord> read(Path versionDir, String name, SemVer version) {
        Path file = of(versionDir);
        try {
            return java.util.Optional.of(VersionRecord.fromJson(JsonParser.parseString(Files.readString(file,
                    StandardCharsets.UTF_8)), name, version, file.toString()));
        } catch (IOException | RuntimeException absentOrDamaged) {
            return java.util.Optional.empty(); // verify() is what refuses a damaged record
        }
    }

    /**
     * Refuses the cached copy in {@code versionDir} unless {@code trust} accepts it as a pull would: its kept
     * record must hold exactly the copy's manifest, and its signature must verify against the trust store.
     * A copy without a record (pulled by a Conduit before records were kept) passes only where unsigned
     * versions are accepted. The package's digests are checked by {@link ModelPackage#open} afterwards.
     */
    static void verify(Path versionDir, String name, SemVer version, TrustPolicy trust) {
        Path file = of(versionDir);
        String coordinate = name + "@" + version;
        String fix = "; it is not used offline: pull it again (conduit models pull " + coordinate
                + ") once the registry is reachable, or delete " + versionDir;
        VersionRecord record;
        String manifestText;
        try {
            record = VersionRecord.fromJson(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)),
                    name, version, file.toString());
            manifestText = Files.readString(versionDir.resolve(ModelPackage.MANIFEST), StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            if (trust.requiresSignatures()) {
                throw new IntegrityException("the cached copy of " + coordinate + " in " + versionDir + " has no record"
                        + " of its signature (" + file.getFileName() + "), and this workstation accepts only signed"
                        + " versions" + fix);
            }
            return;
        } catch (com.google.gson.JsonParseException | IntegrityException damaged) {
            throw new IntegrityException("the cached record of " + coordinate + " (" + file + ") is damaged" + fix);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read the cached record " + file + ": "
                    + e.getMessage(), e);
        }
        if (!manifestText.equals(record.manifestText())) {
            throw new IntegrityException("the cached copy of " + coordinate + " in " + versionDir + " has a "
                    + ModelPackage.MANIFEST + " other than the one its signature covers (it was edited after the pull)"
                    + fix);
        }
        try {
            record.check(trust);
        } catch (IntegrityException refused) {
            throw new IntegrityException("the cached copy of " + coordinate + " no longer passes this workstation's"
                    + " signature check, so it is not used offline: " + refused.getMessage(), refused);
        }
    }
}
