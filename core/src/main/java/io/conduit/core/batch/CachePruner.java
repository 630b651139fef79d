package io.conduit.core.batch;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps {@link BatchCache}'s folder within its size bound ({@code batchCache.maxMiB}): entries are ranked
 * by when a job last stored or used them (the entry folder's modification time, which {@link #touch}
 * moves on every use) and the least recently used are removed until the rest fit. An entry is renamed
 * away before it is deleted, so a job reading the cache at the same time finds it whole or absent, never
 * half gone; leftovers of interrupted stores and removals are deleted too, once they are an hour old (a
 * younger one may be another job's store in progress).
 */
final class CachePruner {
    private static final long LEFTOVER_AGE_MILLIS = 3_600_000;

    private CachePruner() {
    }

    static BatchCache.Pruned prune(Path root, long maxBytes) {
        List<Path> entries = new ArrayList<>();
        int removed = 0;
        long freed = 0;
        long leftoverBefore = System.currentTimeMillis() - LEFTOVER_AGE_MILLIS;
        for (Path shard : list(root)) {
            for (Path entry : list(shard)) {
                if (!entry.getFileName().toString().startsWith(".")) {
                    entries.add(entry);
                } else if (lastUsed(entry).toMillis() < leftoverBefore) {
                    freed += size(entry);
                    FileTrees.deleteQuietly(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(CachePruner::lastUsed));
        long total = entries.stream().mapToLong(CachePruner::size).sum();
        int kept = entries.size();
        for (Path entry : entries) {
            if (total <= maxBytes) {
                break;
            }
            long bytes = size(entry);
            remove(entry);
            total -= bytes;
            freed += bytes;
            removed++;
            kept--;
        }
        return new BatchCache.Pruned(removed, freed, kept, total);
    }

    /** Marks an entry as just used. */
    static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // a read-only cache still answers; it just cannot rank what it holds
        }
    }

    /** Removes an entry: renamed away first, so no reader sees it half deleted. */
    static void remove(Path entry) {
        Path trash = entry.resolveSibling("." + entry.getFileName() + ".removed-" + System.nanoTime());
        try {
            Files.move(entry, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // gone already, or in use where renaming is refused: left for the next prune
        }
        FileTrees.deleteQuietly(trash);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list the batch cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FileTime lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path entry) {
        try (Stream<Path> files = Files.walk(entry)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
