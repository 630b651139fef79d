package io.conduit.core.onnx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes the empty {@code onnxruntime-java*} folders that killed Conduit processes left in the temporary
 * folder. ONNX Runtime's Java loader makes one such folder on every start, even when it loads its native
 * libraries from {@code onnxruntime.native.path} as the distribution has it do, and deletes it only when the
 * JVM exits normally; a process killed with SIGKILL leaves it behind. The distribution's folders stay empty
 * (nothing is extracted into them), so an empty one that is not brand new belongs to nobody: it is removed.
 * Folders with files in them are never touched: those are another program's, or one still starting.
 */
public final class OrtTempFolders {
    private static final String PREFIX = "onnxruntime-java";

    private OrtTempFolders() {
    }

    /** Sweeps {@code java.io.tmpdir}, leaving folders younger than a minute to the processes starting now. */
    public static int sweep() {
        return sweep(Path.of(System.getProperty("java.io.tmpdir")), Duration.ofMinutes(1), Instant.now());
    }

    /** Removes the empty ONNX Runtime folders in {@code tmp} last modified before {@code now - minAge}; returns how many. */
    public static int sweep(Path tmp, Duration minAge, Instant now) {
        FileTime cutoff = FileTime.from(now.minus(minAge));
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path folder : folders) {
                try {
                    if (Files.isDirectory(folder) && Files.getLastModifiedTime(folder).compareTo(cutoff) < 0) {
                        Files.delete(folder); // fails, harmlessly, on a folder that is not empty
                        removed++;
                    }
                } catch (IOException notOursOrNotEmpty) {
                    // another user's folder, or one with libraries in it: not ours to remove
                }
            }
        } catch (IOException unreadable) {
            // no temporary folder to read: nothing was left there either
        }
        return removed;
    }
}
