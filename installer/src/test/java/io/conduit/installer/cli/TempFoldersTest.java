package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.conduit.core.onnx.OrtTempFolders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command leaves anything in the temporary folder when ONNX Runtime's native libraries come from a
 * folder, as the distribution's launcher arranges ({@code onnxruntime.native.path}): not a normal run, not a
 * service stopped with SIGTERM, and not one killed with SIGKILL once the next command has started. Each
 * command runs as its own JVM with a private {@code java.io.tmpdir}, so other processes cannot interfere.
 */
class TempFoldersTest {
    private static final Path DEMO = Path.of("src/dist/demo/denoiser");

    @TempDir
    Path dir;

    @Test
    void commandsLeaveNothingInTheTemporaryFolderKilledOrNot() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path natives = unpackNatives(dir.resolve("native"));

        assertEquals(0, conduit(tmp, natives, "--version").waitFor());
        assertEquals(0, conduit(tmp, natives, "inspect", DEMO.resolve("package").toString()).waitFor());
        Path out = dir.resolve("denoised.png");
        assertEquals(0, conduit(tmp, natives, "run", DEMO.resolve("package").toString(), "-i",
                DEMO.resolve("sample_noisy.png").toString(), "-o", out.toString(), "--device", "cpu").waitFor());
        assertTrue(Files.size(out) > 0);
        assertEquals(List.of(), list(tmp), "after normal exits");

        Process stopped = serving(tmp, natives);
        stopped.destroy(); // SIGTERM: shutdown hooks run
        stopped.waitFor(60, TimeUnit.SECONDS);
        assertEquals(List.of(), list(tmp), "after a service stopped with SIGTERM");

        Process killed = serving(tmp, natives);
        killed.destroyForcibly(); // SIGKILL: no hook runs, ONNX Runtime's start-up folder stays
        killed.waitFor(60, TimeUnit.SECONDS);
        List<Path> left = list(tmp);
        assertEquals(1, left.size(), "SIGKILL leaves ONNX Runtime's start-up folder: " + left);
        assertTrue(left.get(0).getFileName().toString().startsWith("onnxruntime-java"), left.toString());
        assertEquals(List.of(), list(left.get(0)), "with nothing in it: no library was copied there");

        Files.setLastModifiedTime(left.get(0), FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        // (not --version: it answers before anything else runs, sweeping included)
        assertEquals(0, conduit(tmp, natives, "inspect", DEMO.resolve("package").toString()).waitFor());
        assertEquals(List.of(), list(tmp), "the next command removed the killed one's folder");
    }

    @Test
    void theSweepKeepsNewFoldersAndFoldersWithFiles() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path stale = Files.createDirectory(tmp.resolve("onnxruntime-java123"));
        Path fresh = Files.createDirectory(tmp.resolve("onnxruntime-java456"));
        Path full = Files.createDirectory(tmp.resolve("onnxruntime-java789"));
        Files.writeString(full.resolve("libonnxruntime.so"), "x");
        Path other = Files.createDirectory(tmp.resolve("something-else"));
        Instant now = Instant.now();
        for (Path p : List.of(stale, full, other)) {
            Files.setLastModifiedTime(p, FileTime.from(now.minus(Duration.ofHours(1))));
        }
        assertEquals(1, OrtTempFolders.sweep(tmp, Duration.ofMinutes(1), now));
        assertEquals(List.of(fresh, full, other), list(tmp));
    }

    /** A service on a free port, returned once it has printed that it serves (ONNX Runtime is loaded by then). */
    private Process serving(Path tmp, Path natives) throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        if (!Files.exists(models.resolve("denoiser"))) {
            copyTree(DEMO.resolve("package"), models.resolve("denoiser"));
        }
        // its own feedback database: the default one under ~/.conduit may be held by another service
        Path feedback = dir.resolve("feedback-" + System.nanoTime());
        Process p = conduit(tmp, natives, "serve", "--models", models.toString(), "--port", "0",
                "--feedback-db", "jdbc:h2:file:" + feedback);
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith("conduit serve:")) {
                return p;
            }
        }
        throw new AssertionError("conduit serve ended before serving:\n" + seen);
    }

    private static Process conduit(Path tmp, Path natives, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Donnxruntime.native.path=" + natives,
                "-cp", System.getProperty("java.class.path"), ConduitMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** What the build's dist-onnxruntime step does: this platform's libraries out of ONNX Runtime's jar. */
    private static Path unpackNatives(Path target) throws Exception {
        return io.conduit.core.testing.TestJava.unpack(target);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
