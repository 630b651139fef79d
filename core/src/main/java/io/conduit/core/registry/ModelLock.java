package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises read-modify-write updates of one model's aliases and rollout rules, between threads
 * (a JVM lock: file locks are per process) and between processes and machines (an OS file lock on
 * {@code .lock}, which network file systems such as NFSv4 and SMB honour).
 */
final class ModelLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ModelLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static ModelLock acquire(Path lockFile) {
        Path key;
        try {
            // The same folder reached through two paths (a symlink, a second mount) must share one lock.
            key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
        } catch (IOException e) {
            key = lockFile.toAbsolutePath().normalize();
        }
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(key, p -> new ReentrantLock());
        threadLock.lock();
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new ModelLock(threadLock, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            threadLock.unlock();
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot lock " + lockFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            threadLock.unlock();
        }
    }
}
