package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the directory backend does: separate processes publishing at once, a dying publisher, a damaged share. */
class DirectoryRegistryTest {
    @TempDir
    Path dir;

    private int made;

    private Path packageVersion(String version) {
        return TestModels.packageOf("scale_bias.onnx", dir.resolve("src-" + version + "-" + made++), m -> new Manifest(m.schemaVersion(),
                m.name(), SemVer.parse(version), m.description(), m.authors(), m.modelFile(), m.inputs(), m.outputs(),
                m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files()));
    }

    private DirectoryRegistry publishAll(String... versions) {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        for (String v : versions) {
            try (ModelPackage pkg = ModelPackage.open(packageVersion(v))) {
                registry.publish(pkg, "td");
            }
        }
        return registry;
    }

    @Test
    void concurrentPublishingProcessesHaveExactlyOneWinner() throws Exception {
        Path registryRoot = dir.resolve("registry");
        Path source = packageVersion("3.0.0");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(publishCommand(registryRoot, source))
                    .redirectErrorStream(true).start());
        }
        int published = 0;
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("PUBLISHED") || out.contains("is already published"), out);
            published += out.contains("PUBLISHED") ? 1 : 0;
        }
        assertEquals(1, published);
        assertEquals(List.of(SemVer.parse("3.0.0")), new DirectoryRegistry(registryRoot).versions("scale-bias"));
    }

    @Test
    void aPublishThatDiesHalfWayIsNeverVisible() throws Exception {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        Path source = packageVersion("4.0.0");
        try (ModelPackage pkg = ModelPackage.open(source)) {
            Files.write(source.resolve("model.onnx"), new byte[]{1, 2, 3}); // changes under the publisher's feet
            IntegrityException e = assertThrows(IntegrityException.class, () -> registry.publish(pkg, "td"));
            assertTrue(e.getMessage().contains("model.onnx does not match its digest"), e.getMessage());
        }
        assertEquals(List.of(), registry.versions("scale-bias"));
        assertEquals(List.of(), registry.models());
        try (ModelPackage fresh = ModelPackage.open(packageVersion("4.0.0"))) {
            registry.publish(fresh, "td"); // the dead attempt left nothing in the way
        }
        assertEquals(1, registry.versions("scale-bias").size());
    }

    @Test
    void damagedFilesOnTheShareGiveClearErrorsNotCrashes() throws Exception {
        DirectoryRegistry registry = publishAll("1.0.0");
        Path record = registry.root().resolve("models/scale-bias/versions/1.0.0.json");
        Files.writeString(record, "{\"name\": \"scale-bias\", \"manif");
        IntegrityException damaged = assertThrows(IntegrityException.class,
                () -> registry.manifest("scale-bias", SemVer.parse("1.0.0")));
        assertTrue(damaged.getMessage().startsWith("version record " + record + " is damaged"), damaged.getMessage());
        Files.writeString(registry.root().resolve("models/scale-bias/aliases.json"), "{\"stable\": \"latest\"}");
        assertTrue(assertThrows(IntegrityException.class, () -> registry.aliases("scale-bias")).getMessage()
                .contains("aliases.json is damaged"));
    }

    @Test
    void aPublishingProcessKilledMidCopyLeavesNothingVisible() throws Exception {
        Path registryRoot = dir.resolve("registry");
        Path source = packageVersion("5.0.0");
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(source.resolve("lut.bin").toFile(), "rw")) {
            big.setLength(160L << 20); // long enough to copy that the kill lands mid-way
        }
        io.conduit.core.pkg.PackageWriter.reseal(source);
        Process publisher = new ProcessBuilder(publishCommand(registryRoot, source))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path tmp = registryRoot.resolve("tmp");
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean midCopy = false;
        while (!midCopy && publisher.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(tmp)) {
                try (Stream<Path> staged = Files.list(tmp)) {
                    midCopy = staged.anyMatch(p -> p.getFileName().toString().endsWith(".blob"));
                }
            }
            Thread.sleep(5);
        }
        assertTrue(midCopy, "the publisher was caught while copying content");
        publisher.destroyForcibly().waitFor();
        DirectoryRegistry registry = new DirectoryRegistry(registryRoot);
        assertEquals(List.of(), registry.versions("scale-bias"), "a killed publish is never visible");
        assertEquals(List.of(), registry.models());
        // The killed copy's file, as it looks once the crash is old news; and a neighbour's copy in progress.
        FileTime longAgo = FileTime.from(Instant.now().minus(DirectoryRegistry.ABANDONED_AFTER).minusSeconds(60));
        try (Stream<Path> staged = Files.list(tmp)) {
            for (Path file : staged.toList()) {
                Files.setLastModifiedTime(file, longAgo);
            }
        }
        Path neighbours = Files.writeString(tmp.resolve(".neighbour.blob"), "still being written");
        try (ModelPackage pkg = ModelPackage.open(source)) {
            registry.publish(pkg, "td"); // and leaves nothing in the way of the next attempt
        }
        registry.pull("scale-bias", SemVer.parse("5.0.0"), dir.resolve("cache")).close();
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(neighbours), left.toList(), "the next publish removed the killed one's staging files,"
                    + " and only those");
        }
    }

    private static List<String> publishCommand(Path registryRoot, Path source) {
        List<String> command = new ArrayList<>(io.conduit.core.testing.TestJava.command(PublishMain.class.getName()));
        command.addAll(List.of(registryRoot.toString(), source.toString()));
        return command;
    }
}
