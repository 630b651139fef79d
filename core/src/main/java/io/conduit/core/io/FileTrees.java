package io.conduit.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder-tree chores shared by packaging and caches. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes a folder and everything under it; a cleanup that must never mask the real error. */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless, a masked exception is not
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
