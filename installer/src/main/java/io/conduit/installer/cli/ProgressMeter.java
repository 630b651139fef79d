package io.conduit.installer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * How far a long task has got, on stderr: a bar drawn by the progressbar library when stderr is a terminal,
 * and otherwise (a log file, a pipe, a render farm's job log) one plain line each time another tenth is
 * done, with no carriage returns or colour codes, so the log stays readable and every line means something.
 */
abstract class ProgressMeter implements AutoCloseable {
    /** A plain line every this many percent. */
    static final int STEP_PERCENT = 10;

    /** A meter on this process's stderr for {@code total} units of {@code unitSize} named {@code unit} (e.g. " MiB"). */
    static ProgressMeter open(String task, long total, String unit, long unitSize) {
        return open(task, total, unit, unitSize, System.err, stderrIsTerminal());
    }

    static ProgressMeter open(String task, long total, String unit, long unitSize, PrintStream err, boolean terminal) {
        return terminal ? new Bar(task, total, unit, unitSize, err) : new Lines(task, total, unit, unitSize, err);
    }

    /**
     * Whether stderr is a terminal. Java says so only for stdin and stdout together ({@code System.console()}),
     * and a farm job may log stderr while stdout is a terminal, so on Linux the descriptor itself is asked.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    abstract void stepTo(long done);

    abstract void stepBy(long units);

    @Override
    public abstract void close();

    /** The progressbar library's bar, redrawn in place. */
    private static final class Bar extends ProgressMeter {
        private final ProgressBar bar;

        Bar(String task, long total, String unit, long unitSize, PrintStream err) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(unit, unitSize)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build();
        }

        @Override
        void stepTo(long done) {
            bar.stepTo(done);
        }

        @Override
        void stepBy(long units) {
            bar.stepBy(units);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line per {@link #STEP_PERCENT} percent; frames finish on several threads, hence synchronized. */
    private static final class Lines extends ProgressMeter {
        private final String task;
        private final long total;
        private final String unit;
        private final long unitSize;
        private final PrintStream err;
        private long done;
        private int printedPercent;

        Lines(String task, long total, String unit, long unitSize, PrintStream err) {
            this.task = task;
            this.total = Math.max(0, total);
            this.unit = unit;
            this.unitSize = Math.max(1, unitSize);
            this.err = err;
        }

        @Override
        synchronized void stepTo(long value) {
            done = Math.max(done, Math.min(value, total));
            int percent = total == 0 ? 100 : (int) (100 * done / total);
            int reached = percent / STEP_PERCENT * STEP_PERCENT;
            if (reached > printedPercent) {
                printedPercent = reached;
                err.println(task + ": " + reached + "% (" + done / unitSize + "/" + total / unitSize + unit + ")");
                err.flush();
            }
        }

        @Override
        synchronized void stepBy(long units) {
            stepTo(done + units);
        }

        @Override
        public void close() {
        }
    }
}
