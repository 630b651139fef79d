package io.conduit.core.io.exr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one piece of work per EXR chunk on a pool shared by every read and write in the process, and
 * hands the results on strictly in chunk order, so a file is written with the same bytes however many
 * threads compressed it, and a damaged file reports the first bad chunk whatever finished first.
 *
 * <p>At most {@link #slots(int)} chunks are in flight per read or write, which bounds the memory a
 * read or write holds beyond its image to that many chunks' buffers. Work for chunk {@code i} runs in
 * slot {@code i % slots} and is only started once the chunk that used that slot before has been handed
 * on, so each slot's scratch buffers can be reused without locks. The pool has one daemon thread per
 * core (or {@value #THREADS_PROPERTY}); frames read in parallel by a batch share it rather than
 * multiplying threads.
 */
final class ChunkPipeline {
    /** System property: threads of the shared pool, and the default parallelism of a read or write. */
    static final String THREADS_PROPERTY = "conduit.exr.threads";

    private static final int THREADS = Math.max(1, Integer.getInteger(THREADS_PROPERTY,
            Runtime.getRuntime().availableProcessors()));
    private static volatile ExecutorService pool;

    private ChunkPipeline() {
    }

    /** Work on chunk {@code index} with slot {@code slot}'s scratch buffers. */
    @FunctionalInterface
    interface Work<T> {
        T run(int index, int slot) throws IOException;
    }

    /** Receives each chunk's result, in chunk order, on the calling thread. */
    @FunctionalInterface
    interface Sink<T> {
        void accept(int index, T result) throws IOException;
    }

    /** The parallelism a read or write uses unless told otherwise. */
    static int defaultParallelism() {
        return THREADS;
    }

    /** How many chunks may be in flight at {@code parallelism}: two per thread keeps every thread busy. */
    static int slots(int parallelism) {
        return parallelism <= 1 ? 1 : 2 * parallelism;
    }

    /** Runs {@code work} for chunks 0..count-1 and gives each result to {@code sink} in order. */
    static <T> void run(int count, int parallelism, Work<T> work, Sink<T> sink) throws IOException {
        if (parallelism <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                sink.accept(i, work.run(i, 0));
            }
            return;
        }
        int slots = slots(parallelism);
        ArrayDeque<Future<T>> inFlight = new ArrayDeque<>(slots);
        int submitted = 0;
        try {
            for (; submitted < Math.min(count, slots); submitted++) {
                inFlight.add(submit(work, submitted, submitted % slots));
            }
            for (int i = 0; i < count; i++) {
                T result = await(inFlight.removeFirst());
                sink.accept(i, result);
                if (submitted < count) {
                    inFlight.add(submit(work, submitted, submitted % slots));
                    submitted++;
                }
            }
        } finally {
            // After a failure, let chunks already started finish before the caller closes the file or
            // drops the image they write into; their outcome no longer matters.
            for (Future<T> future : inFlight) {
                future.cancel(false);
                try {
                    future.get();
                } catch (ExecutionException | CancellationException ignored) {
                    // the first failure in chunk order is the one reported
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static <T> Future<T> submit(Work<T> work, int index, int slot) {
        return pool().submit(() -> work.run(index, slot));
    }

    private static <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while EXR chunks were being coded", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (ChunkPipeline.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newFixedThreadPool(THREADS, task -> {
                        Thread thread = new Thread(task, "conduit-exr");
                        thread.setDaemon(true);
                        return thread;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
