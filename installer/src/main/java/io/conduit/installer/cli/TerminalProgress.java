package io.conduit.installer.cli;

import io.conduit.core.io.Progress;

/**
 * Progress of large transfers on stderr ({@link ProgressMeter}: a bar on a terminal, a plain line per
 * tenth in a log). Transfers under {@link #THRESHOLD} bytes show nothing: a bar that flashes by helps no one.
 */
final class TerminalProgress implements Progress {
    static final long THRESHOLD = 16L << 20;

    private ProgressMeter bar;

    @Override
    public void start(String task, long totalBytes) {
        if (totalBytes >= THRESHOLD) {
            bar = ProgressMeter.open(task, totalBytes, " MiB", 1 << 20);
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
