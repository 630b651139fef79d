package io.conduit.server.agent;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The one-agent-per-user rule: an OS lock on {@code ~/.conduit/agent.lock}, held for the agent's
 * whole life. When two applications start an agent at the same moment, one gets the lock and the
 * other exits at once; the operating system releases the lock when its holder dies, however it
 * dies, so a crashed agent never blocks the next one.
 */
public final class AgentLock implements AutoCloseable {
    public static final String NAME = "agent.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private AgentLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another agent of this user holds it. */
    public static Optional<AgentLock> tryAcquire(Path home) {
        try {
            io.conduit.core.io.PrivateFiles.folder(home); // the agent's token and spool live here: owner only
            FileChannel channel = FileChannel.open(home.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                return Optional.of(new AgentLock(channel, lock));
            } catch (OverlappingFileLockException heldInThisProcess) {
                channel.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot lock " + home.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
