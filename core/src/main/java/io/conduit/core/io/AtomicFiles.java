package io.conduit.core.io;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees the old content or the whole new content, never a half: the
 * bytes go to a temporary file beside the target, which is renamed into place once complete. A
 * failed write leaves the target untouched and no temporary file behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes what {@code body} produces to {@code target}, atomically. */
    public static void write(Path target, StreamBody body) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createFile(siblingName(target, ".part"));
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.writeTo(out);
            }
            moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /**
     * A fresh hidden name beside {@code target}. Created with {@code Files.createFile} rather than
     * {@code createTempFile}, so the result gets the user's usual permissions (the umask), not
     * owner-only ones that render nodes and colleagues could not read.
     */
    public static Path siblingName(Path target, String suffix) {
        Path absolute = target.toAbsolutePath();
        String random = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return absolute.resolveSibling("." + absolute.getFileName() + "." + random + suffix);
    }

    /** Renames a finished file or folder over {@code target}, atomically where the file system can. */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Produces a file's bytes. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }
}
