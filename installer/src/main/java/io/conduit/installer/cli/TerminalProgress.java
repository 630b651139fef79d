package io.conduit.installer.cli;

import io.conduit.core.io.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for large transfers, drawn by the progressbar library (it handles
 * terminal width, rates and estimates, and degrades to plain lines when stderr is not a terminal).
 * Transfers under {@link #THRESHOLD} bytes draw nothing: a bar that flashes by helps no one.
 */
final class TerminalProgress implements Progress {
    static final long THRESHOLD = 16L << 20;

    private ProgressBar bar;

    @Override
    public void start(String task, long totalBytes) {
        if (totalBytes >= THRESHOLD) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit(" MiB", 1 << 20)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
        }
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
