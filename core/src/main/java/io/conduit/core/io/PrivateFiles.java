package io.conduit.core.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders and files only their owner may read: the per-user Conduit folder ({@code ~/.conduit}: the
 * agent's token, its feedback spool, the service's database), where a colleague on a shared
 * workstation or render node has no business. POSIX file systems get 0700 folders and 0600 files;
 * elsewhere (Windows) the user's profile already keeps them private, and nothing is changed.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code folder} (and its parents) if needed and makes it owner-only. */
    public static Path folder(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (POSIX) {
            Files.setPosixFilePermissions(folder, FOLDER);
        }
        return folder;
    }

    /** The attribute that creates a file owner-only (none where the file system has no POSIX permissions). */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Makes an existing file owner-only. */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
