package io.conduit.core.testing;

import io.conduit.core.ConduitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * What the parsers' fuzz properties share: structured garbage made from the kept corpus
 * ({@code src/test/resources/fuzz/TARGET}: valid inputs each target reads), and the one rule every target
 * keeps on it: a malformed input ends in a {@link ConduitException} (a clear error with a code), within
 * {@link #DEADLINE}, having allocated no more than {@link #allocationBudget} — never another exception,
 * a hang, or memory a tiny input should not be able to claim.
 */
public final class Fuzz {
    /** How long one parse may take; a parse of a few hundred bytes that takes longer is a hang. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-target");
        t.setDaemon(true);
        return t;
    });

    private Fuzz() {
    }

    /** The corpus of one target, as bytes. */
    public static List<byte[]> corpus(String target) {
        Path dir = Path.of(System.getProperty("user.dir"), "src", "test", "resources", "fuzz", target);
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
            if (seeds.isEmpty()) {
                throw new IllegalStateException("the fuzz corpus " + dir + " is empty");
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A seed from the corpus with up to eight mutations: bytes overwritten with random or boundary values
     * (0, 0x7f, 0x80, 0xff), spans cut out, repeated or truncated; plus now and then purely random bytes.
     */
    public static Arbitrary<byte[]> mutants(String target) {
        List<byte[]> seeds = corpus(target);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(seeds), Arbitraries.longs())
                .as((seed, random) -> mutate(seed, new java.util.SplittableRandom(random)));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, mutated), net.jqwik.api.Tuple.of(1, random));
    }

    private static byte[] mutate(byte[] seed, java.util.SplittableRandom r) {
        byte[] b = seed.clone();
        int mutations = 1 + r.nextInt(8);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = new byte[]{0, 0x7f, (byte) 0x80, (byte) 0xff}[r.nextInt(4)];
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncated
                case 3 -> { // a span cut out
                    int end = Math.min(b.length, at + 1 + r.nextInt(16));
                    byte[] cut = new byte[b.length - (end - at)];
                    System.arraycopy(b, 0, cut, 0, at);
                    System.arraycopy(b, end, cut, at, b.length - end);
                    b = cut;
                }
                default -> { // a span repeated
                    int end = Math.min(b.length, at + 1 + r.nextInt(16));
                    byte[] grown = new byte[b.length + (end - at)];
                    System.arraycopy(b, 0, grown, 0, end);
                    System.arraycopy(b, at, grown, end, b.length - at);
                    b = grown;
                }
            }
        }
        return b;
    }

    /** What a target may allocate for an input of {@code inputBytes}: generous, but far below "gigabytes". */
    public static long allocationBudget(int inputBytes) {
        return 64L * inputBytes + (64L << 20);
    }

    /** A parse of one input. */
    @FunctionalInterface
    public interface Target {
        void parse() throws Exception;
    }

    /** A parse of a file. */
    @FunctionalInterface
    public interface FileTarget {
        void parse(Path file) throws Exception;
    }

    /** {@link #check} for a reader of files: {@code content} is written to a temporary file with {@code suffix}. */
    public static void checkFile(byte[] content, String suffix, FileTarget target) throws Exception {
        Path file = Files.createTempFile("fuzz", suffix);
        try {
            Files.write(file, content);
            check(content, () -> target.parse(file));
        } finally {
            Files.delete(file);
        }
    }

    /** Runs {@code target} under the rule above; any other outcome fails the property with the input named. */
    public static void check(byte[] input, Target target) throws Exception {
        Future<Long> run = RUNNER.submit(() -> {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            long directBefore = direct();
            try {
                target.parse();
            } catch (ConduitException expected) {
                // a clear, coded refusal: what malformed input should get
            }
            // Heap the parse allocated, plus direct buffers (tensors) it reserved and still holds.
            return threads.getCurrentThreadAllocatedBytes() - before + Math.max(0, direct() - directBefore);
        });
        long allocated;
        try {
            allocated = run.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException hang) {
            run.cancel(true);
            throw new AssertionError("no answer within " + DEADLINE + " for " + describe(input));
        } catch (java.util.concurrent.ExecutionException crash) {
            throw new AssertionError(crash.getCause() + " for " + describe(input), crash.getCause());
        }
        if (allocated > allocationBudget(input.length)) {
            throw new AssertionError("allocated " + allocated + " bytes for " + describe(input));
        }
    }

    private static long direct() {
        return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    private static String describe(byte[] input) {
        return input.length + " bytes: " + java.util.HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
    }
}
