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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void publishedVersionsPullBackVerifiedAndNeverChange() throws Exception {
        DirectoryRegistry registry = publishAll("1.0.0", "1.1.0");
        assertEquals(List.of("scale-bias"), registry.models());
        assertEquals(List.of(SemVer.parse("1.0.0"), SemVer.parse("1.1.0")), registry.versions("scale-bias"));
        try (ModelPackage pulled = registry.pull("scale-bias", SemVer.parse("1.1.0"), dir.resolve("cache"))) {
            assertEquals("scale-bias@1.1.0", pulled.manifest().coordinate());
        }
        try (Stream<Path> blobs = Files.walk(registry.root().resolve("blobs"))) {
            assertEquals(1, blobs.filter(Files::isRegularFile).count(), "the ONNX file is stored once for both versions");
        }
        try (ModelPackage again = ModelPackage.open(packageVersion("1.1.0"))) {
            ConduitException e = assertThrows(ConduitException.class, () -> registry.publish(again, "someone"));
            assertTrue(e.getMessage().contains("scale-bias@1.1.0 is already published"), e.getMessage());
        }
        assertEquals(2, registry.versions("scale-bias").size());
    }

    @Test
    void concurrentPublishersOfOneVersionHaveExactlyOneWinner() throws Exception {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        Path source = packageVersion("2.0.0");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(pool.submit((Callable<Boolean>) () -> {
                    try (ModelPackage pkg = ModelPackage.open(source)) {
                        registry.publish(pkg, "thread");
                        return true;
                    } catch (ConduitException refused) {
                        assertTrue(refused.getMessage().contains("is already published"), refused.getMessage());
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : attempts) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(SemVer.parse("2.0.0")), registry.versions("scale-bias"));
    }

    @Test
    void concurrentPublishingProcessesHaveExactlyOneWinner() throws Exception {
        Path registryRoot = dir.resolve("registry");
        Path source = packageVersion("3.0.0");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    PublishMain.class.getName(), registryRoot.toString(), source.toString())
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
            assertTrue(e.getMessage().contains("model.onnx changed while it was being published"), e.getMessage());
        }
        assertEquals(List.of(), registry.versions("scale-bias"));
        assertEquals(List.of(), registry.models());
        try (ModelPackage fresh = ModelPackage.open(packageVersion("4.0.0"))) {
            registry.publish(fresh, "td"); // the dead attempt left nothing in the way
        }
        assertEquals(1, registry.versions("scale-bias").size());
    }

    @Test
    void tamperedBlobsAreCaughtOnPull() throws Exception {
        DirectoryRegistry registry = publishAll("1.0.0");
        try (Stream<Path> blobs = Files.walk(registry.root().resolve("blobs"))) {
            Path blob = blobs.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.write(blob, new byte[]{9, 9, 9});
        }
        IntegrityException e = assertThrows(IntegrityException.class,
                () -> registry.pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache")));
        assertTrue(e.getMessage().startsWith("package file model.onnx in"), e.getMessage());
        try (Stream<Path> cache = Files.walk(dir.resolve("cache"))) {
            assertTrue(cache.noneMatch(p -> p.getFileName().toString().equals("1.0.0")), "nothing half-pulled is left");
        }
    }

    @Test
    void rolloutRulesResolveNarrowestScopeFirstThroughAliases() {
        DirectoryRegistry registry = publishAll("1.0.0", "2.0.0", "3.0.0-rc.1");
        String m = "scale-bias";
        Resolution none = registry.resolve(m, new ArtistContext("ABC", "lighting", "ana"));
        assertEquals("2.0.0", none.version().toString(), "the newest release, not the release candidate");
        assertEquals("no rollout rule matches; the newest release", none.chosenBy());
        registry.setAlias(m, "stable", SemVer.parse("1.0.0"));
        registry.setAlias(m, "beta", SemVer.parse("3.0.0-rc.1"));
        registry.setRule(m, new RolloutRule(Scope.STUDIO, "", "stable"));
        registry.setRule(m, new RolloutRule(Scope.SHOW, "ABC", "2.0.0"));
        registry.setRule(m, new RolloutRule(Scope.DEPARTMENT, "lighting", "beta"));
        registry.setRule(m, new RolloutRule(Scope.USER, "ana", "1.0.0"));
        assertEquals("1.0.0 by rule user ana -> 1.0.0", show(registry.resolve(m, new ArtistContext("ABC", "lighting", "ana"))));
        assertEquals("3.0.0-rc.1 by rule department lighting -> beta",
                show(registry.resolve(m, new ArtistContext("ABC", "lighting", "bob"))));
        assertEquals("2.0.0 by rule show ABC -> 2.0.0", show(registry.resolve(m, new ArtistContext("ABC", "anim", "bob"))));
        assertEquals("1.0.0 by rule studio -> stable", show(registry.resolve(m, new ArtistContext("XYZ", "anim", "bob"))));
        registry.setAlias(m, "stable", SemVer.parse("2.0.0"));
        assertEquals("2.0.0 by rule studio -> stable", show(registry.resolve(m, new ArtistContext("", "", ""))));
        registry.setRule(m, new RolloutRule(Scope.USER, "ana", ""));
        assertEquals(3, registry.rules(m).size(), "an empty target removes the rule");
    }

    @Test
    void badRulesAndAliasesLeaveTheRegistryAsItWas() {
        DirectoryRegistry registry = publishAll("1.0.0");
        String m = "scale-bias";
        registry.setRule(m, new RolloutRule(Scope.SHOW, "ABC", "1.0.0"));
        ConduitException missing = assertThrows(ConduitException.class,
                () -> registry.setRule(m, new RolloutRule(Scope.SHOW, "ABC", "9.0.0")));
        assertEquals(ErrorCode.MODEL_NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().startsWith("scale-bias@9.0.0 is not published"), missing.getMessage());
        ConduitException unknownAlias = assertThrows(ConduitException.class,
                () -> registry.setRule(m, new RolloutRule(Scope.SHOW, "ABC", "gamma")));
        assertTrue(unknownAlias.getMessage().contains("\"gamma\" is neither a version of scale-bias nor one of its aliases"),
                unknownAlias.getMessage());
        assertThrows(ConduitException.class, () -> registry.setAlias(m, "beta", SemVer.parse("2.0.0")));
        assertThrows(ConduitException.class, () -> registry.setAlias(m, "Not An Alias", SemVer.parse("1.0.0")));
        assertEquals(List.of(new RolloutRule(Scope.SHOW, "ABC", "1.0.0")), registry.rules(m));
        assertEquals(0, registry.aliases(m).size());
        ConduitException unknownModel = assertThrows(ConduitException.class,
                () -> registry.resolve("nope", new ArtistContext("", "", "")));
        assertEquals(ErrorCode.MODEL_NOT_FOUND, unknownModel.code());
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
    void aTamperedCacheCopyIsReplacedByTheRegistrysVersion() throws Exception {
        DirectoryRegistry registry = publishAll("1.0.0");
        Path cache = dir.resolve("cache");
        registry.pull("scale-bias", SemVer.parse("1.0.0"), cache).close();
        Path cached = cache.resolve("scale-bias/1.0.0");
        Files.write(cached.resolve("model.onnx"), new byte[]{1, 2, 3});
        io.conduit.core.pkg.PackageWriter.reseal(cached); // a consistent but different package
        try (ModelPackage again = registry.pull("scale-bias", SemVer.parse("1.0.0"), cache)) {
            assertTrue(Files.size(again.modelFile()) > 3, "the registry's bytes, not the tampered copy");
        }
    }

    @Test
    void buildMetadataAndEmptyRuleValuesAreRefused() {
        DirectoryRegistry registry = publishAll("1.0.0");
        try (ModelPackage pkg = ModelPackage.open(packageVersion("1.0.0+rebuild"))) {
            assertTrue(assertThrows(ConduitException.class, () -> registry.publish(pkg, "td")).getMessage()
                    .contains("carries build metadata"));
        }
        assertTrue(assertThrows(ConduitException.class, () -> registry.setRule("scale-bias",
                new RolloutRule(Scope.SHOW, "", "1.0.0"))).getMessage().contains("a show rule needs the show it is for"));
        assertEquals(List.of(), registry.rules("scale-bias"));
    }

    @Test
    void publishAndPullReportTheirProgress() throws Exception {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        long[] seen = new long[4]; // started total, advanced, finished, (pull) advanced
        io.conduit.core.io.Progress recorder = new io.conduit.core.io.Progress() {
            @Override
            public void start(String task, long totalBytes) {
                seen[0] = totalBytes;
            }

            @Override
            public void advance(long bytes) {
                seen[1] += bytes;
            }

            @Override
            public void finish() {
                seen[2]++;
            }
        };
        Path source = packageVersion("1.0.0");
        try (ModelPackage pkg = ModelPackage.open(source)) {
            registry.publish(pkg, "td", recorder);
        }
        long modelBytes = Files.size(source.resolve("model.onnx"));
        assertEquals(modelBytes, seen[0]);
        assertEquals(modelBytes, seen[1], "every byte stored was reported");
        assertEquals(1, seen[2]);
        seen[1] = 0;
        registry.pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache"), recorder).close();
        assertEquals(modelBytes, seen[1]);
        assertEquals(2, seen[2]);
    }

    private static String show(Resolution r) {
        return r.version() + " by " + r.chosenBy();
    }
}
