package io.conduit.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.engine.DevicePreference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch cache's bound: least recently used entries go first, and who filled an entry decides what it answers. */
class BatchCacheTest {
    private static final BatchCache.Filler CPU = new BatchCache.Filler("local-cpu", Optional.of("a".repeat(64)));

    @TempDir
    Path dir;

    private static String key(char c) {
        return String.valueOf(c).repeat(64);
    }

    /** Stores a 1000-byte output under {@code key} and dates the entry {@code secondsAgo} back. */
    private void store(BatchCache cache, String key, long secondsAgo) throws Exception {
        Path out = dir.resolve("frame-" + key.charAt(0) + ".npy");
        Files.write(out, new byte[1000]);
        cache.store(key, Map.of("y", out), CPU);
        Path entry = cache.root().resolve(key.substring(0, 2)).resolve(key);
        Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis() - secondsAgo * 1000));
    }

    private long entrySize(BatchCache cache, String key) throws Exception {
        try (var files = Files.walk(cache.root().resolve(key.substring(0, 2)).resolve(key))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void pruneRemovesTheLeastRecentlyUsedEntriesUntilTheRestFit() throws Exception {
        BatchCache unbounded = new BatchCache(dir.resolve("cache"));
        store(unbounded, key('a'), 300);
        store(unbounded, key('b'), 200);
        store(unbounded, key('c'), 100);
        long one = entrySize(unbounded, key('a'));
        // Using the oldest entry makes it the most recent: b is now the least recently used.
        assertTrue(unbounded.restore(key('a'), Map.of("y", dir.resolve("restored.npy"))));

        BatchCache bounded = new BatchCache(dir.resolve("cache"), 2 * one);
        BatchCache.Pruned pruned = bounded.prune();
        assertEquals(1, pruned.removed());
        assertEquals(one, pruned.freedBytes());
        assertEquals(2, pruned.kept());
        assertTrue(bounded.filler(key('a')).isPresent(), "a was used last");
        assertFalse(bounded.filler(key('b')).isPresent(), "b was the least recently used");
        assertTrue(bounded.filler(key('c')).isPresent());
        assertEquals(0, bounded.prune().removed(), "within its bound now");
    }

    @Test
    void pruneDeletesOldLeftoversOfInterruptedStoresButNotAStoreInProgress() throws Exception {
        BatchCache cache = new BatchCache(dir.resolve("cache"));
        Path shard = Files.createDirectories(cache.root().resolve("ab"));
        Path old = Files.createDirectory(shard.resolve(".abab.1234.staging"));
        Files.write(old.resolve("y.npy"), new byte[500]);
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000));
        Path current = Files.createDirectory(shard.resolve(".abab.5678.staging"));
        BatchCache.Pruned pruned = cache.prune();
        assertEquals(500, pruned.freedBytes());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(current), "another job's store in progress is left alone");
    }

    @Test
    void anEntryAnswersOnlyWhatItIsProvenToBe() {
        String pkg = "a".repeat(64);
        assertTrue(CPU.answers(DevicePreference.CPU, pkg));
        assertTrue(CPU.answers(DevicePreference.AUTO, pkg));
        assertTrue(CPU.answers(DevicePreference.REMOTE, pkg), "the same package, proven by its digest");
        assertFalse(CPU.answers(DevicePreference.CPU, "b".repeat(64)), "another package");
        BatchCache.Filler confirmed = new BatchCache.Filler("remote", Optional.of(pkg));
        assertTrue(confirmed.answers(DevicePreference.CPU, pkg), "the service answered the same package digest");
        BatchCache.Filler unconfirmed = new BatchCache.Filler("remote", Optional.empty());
        assertTrue(unconfirmed.answers(DevicePreference.REMOTE, pkg), "the route that filled it");
        assertFalse(unconfirmed.answers(DevicePreference.CPU, pkg), "no digest proves which package the service ran");
        assertFalse(unconfirmed.answers(DevicePreference.AUTO, pkg));
        BatchCache.Filler unknown = new BatchCache.Filler("unknown", Optional.empty());
        assertFalse(unknown.answers(DevicePreference.REMOTE, pkg), "an entry that does not say who filled it");
    }
}
