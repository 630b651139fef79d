package io.conduit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reports how far a long transfer has got (publishing or pulling gigabytes of weights), so the CLI
 * can draw a progress bar while core stays free of any terminal code.
 */
public interface Progress {
    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void finish() {
        }
    };

    void start(String task, long totalBytes);

    void advance(long bytes);

    void finish();

    /** Copies a file to a new file (which must not exist), reporting each megabyte. */
    static void copy(Path from, Path to, Progress progress) throws IOException {
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                progress.advance(n);
            }
        }
    }
}
