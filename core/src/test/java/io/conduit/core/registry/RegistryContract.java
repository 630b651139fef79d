package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.io.Progress;
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

/**
 * What every {@link Registry} backend must do, run against each of them: the directory backend in
 * core, the HTTP backend (a real {@code conduit serve} on loopback) in the server module. Both keep
 * their content in a registry folder ({@code storage}), which the tests tamper with to play an
 * attacker or a failing disk.
 */
public abstract class RegistryContract {
    protected static final String MODEL = "scale-bias";

    @TempDir
    protected Path dir;

    private int made;

    /** A client of the registry whose content lives in {@code storage}, checking and signing by {@code trust}. */
    protected abstract Registry open(Path storage, TrustPolicy trust) throws Exception;

    private Registry open() throws Exception {
        return open(storage(), TrustPolicy.permissive());
    }

    protected Path storage() {
        return dir.resolve("registry");
    }

    protected Path packageVersion(String version) {
        return TestModels.packageOf("scale_bias.onnx", dir.resolve("src-" + version + "-" + made++), m -> new Manifest(
                m.schemaVersion(), m.name(), SemVer.parse(version), m.description(), m.authors(), m.modelFile(),
                m.inputs(), m.outputs(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files()));
    }

    private Registry publishAll(String... versions) throws Exception {
        Registry registry = open();
        for (String v : versions) {
            try (ModelPackage pkg = ModelPackage.open(packageVersion(v))) {
                registry.publish(pkg, "td");
            }
        }
        return registry;
    }

    @Test
    void publishedVersionsPullBackVerifiedAndNeverChange() throws Exception {
        Registry registry = publishAll("1.0.0", "1.1.0");
        assertEquals(List.of(MODEL), registry.models());
        assertEquals(List.of(SemVer.parse("1.0.0"), SemVer.parse("1.1.0")), registry.versions(MODEL));
        assertEquals("td", registry.record(MODEL, SemVer.parse("1.0.0")).publishedBy());
        try (ModelPackage pulled = registry.pull(MODEL, SemVer.parse("1.1.0"), dir.resolve("cache"))) {
            assertEquals("scale-bias@1.1.0", pulled.manifest().coordinate());
            assertEquals(io.conduit.core.manifest.ManifestWriter.toJson(registry.manifest(MODEL, SemVer.parse("1.1.0"))),
                    io.conduit.core.manifest.ManifestWriter.toJson(pulled.manifest()));
        }
        try (Stream<Path> blobs = Files.walk(storage().resolve("blobs"))) {
            assertEquals(1, blobs.filter(Files::isRegularFile).count(), "the ONNX file is stored once for both versions");
        }
        try (ModelPackage again = ModelPackage.open(packageVersion("1.1.0"))) {
            ConduitException e = assertThrows(ConduitException.class, () -> registry.publish(again, "someone"));
            assertEquals(ErrorCode.VERSION_EXISTS, e.code());
            assertTrue(e.getMessage().contains("scale-bias@1.1.0 is already published"), e.getMessage());
        }
        assertEquals(2, registry.versions(MODEL).size());
        assertEquals("td", registry.record(MODEL, SemVer.parse("1.1.0")).publishedBy(), "the first publish stands");
    }

    @Test
    void concurrentPublishersOfOneVersionHaveExactlyOneWinner() throws Exception {
        Registry registry = open();
        Path source = packageVersion("2.0.0");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                attempts.add(pool.submit((Callable<Boolean>) () -> {
                    try (ModelPackage pkg = ModelPackage.open(source)) {
                        registry.publish(pkg, "thread");
                        return true;
                    } catch (ConduitException refused) {
                        assertEquals(ErrorCode.VERSION_EXISTS, refused.code(), refused.getMessage());
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> attempt : attempts) {
                winners += attempt.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(SemVer.parse("2.0.0")), registry.versions(MODEL));
        registry.pull(MODEL, SemVer.parse("2.0.0"), dir.resolve("cache")).close();
    }

    @Test
    void tamperedContentIsCaughtOnPullAndNothingHalfPulledIsLeft() throws Exception {
        Registry registry = publishAll("1.0.0");
        try (Stream<Path> blobs = Files.walk(storage().resolve("blobs"))) {
            Path blob = blobs.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.write(blob, new byte[]{9, 9, 9});
        }
        IntegrityException e = assertThrows(IntegrityException.class,
                () -> registry.pull(MODEL, SemVer.parse("1.0.0"), dir.resolve("cache")));
        assertTrue(e.getMessage().contains("package file model.onnx in"), e.getMessage());
        try (Stream<Path> cache = Files.walk(dir.resolve("cache"))) {
            assertTrue(cache.noneMatch(p -> p.getFileName().toString().contains("1.0.0")), "nothing half-pulled is left");
        }
    }

    @Test
    void aTamperedCacheCopyIsReplacedByTheRegistrysVersion() throws Exception {
        Registry registry = publishAll("1.0.0");
        Path cache = dir.resolve("cache");
        registry.pull(MODEL, SemVer.parse("1.0.0"), cache).close();
        Path cached = cache.resolve("scale-bias/1.0.0");
        Files.write(cached.resolve("model.onnx"), new byte[]{1, 2, 3});
        io.conduit.core.pkg.PackageWriter.reseal(cached); // a consistent but different package
        try (ModelPackage again = registry.pull(MODEL, SemVer.parse("1.0.0"), cache)) {
            assertTrue(Files.size(again.modelFile()) > 3, "the registry's bytes, not the tampered copy");
        }
    }

    @Test
    void rolloutRulesResolveNarrowestScopeFirstThroughAliases() throws Exception {
        Registry registry = publishAll("1.0.0", "2.0.0", "3.0.0-rc.1");
        Resolution none = registry.resolve(MODEL, new ArtistContext("ABC", "lighting", "ana"));
        assertEquals("2.0.0", none.version().toString(), "the newest release, not the release candidate");
        assertEquals("no rollout rule matches; the newest release", none.chosenBy());
        registry.setAlias(MODEL, "stable", SemVer.parse("1.0.0"));
        registry.setAlias(MODEL, "beta", SemVer.parse("3.0.0-rc.1"));
        registry.setRule(MODEL, new RolloutRule(Scope.STUDIO, "", "stable"));
        registry.setRule(MODEL, new RolloutRule(Scope.SHOW, "ABC", "2.0.0"));
        registry.setRule(MODEL, new RolloutRule(Scope.DEPARTMENT, "lighting", "beta"));
        registry.setRule(MODEL, new RolloutRule(Scope.USER, "ana", "1.0.0"));
        assertEquals("1.0.0 by rule user ana -> 1.0.0", show(registry.resolve(MODEL, new ArtistContext("ABC", "lighting", "ana"))));
        assertEquals("3.0.0-rc.1 by rule department lighting -> beta",
                show(registry.resolve(MODEL, new ArtistContext("ABC", "lighting", "bob"))));
        assertEquals("2.0.0 by rule show ABC -> 2.0.0", show(registry.resolve(MODEL, new ArtistContext("ABC", "anim", "bob"))));
        assertEquals("1.0.0 by rule studio -> stable", show(registry.resolve(MODEL, new ArtistContext("XYZ", "anim", "bob"))));
        registry.setAlias(MODEL, "stable", SemVer.parse("2.0.0"));
        assertEquals("2.0.0 by rule studio -> stable", show(registry.resolve(MODEL, new ArtistContext("", "", ""))));
        assertEquals(SemVer.parse("2.0.0"), registry.aliases(MODEL).get("stable"));
        registry.setRule(MODEL, new RolloutRule(Scope.USER, "ana", ""));
        assertEquals(3, registry.rules(MODEL).size(), "an empty target removes the rule");
    }

    @Test
    void badRulesAliasesAndVersionsLeaveTheRegistryAsItWas() throws Exception {
        Registry registry = publishAll("1.0.0");
        registry.setRule(MODEL, new RolloutRule(Scope.SHOW, "ABC", "1.0.0"));
        ConduitException missing = assertThrows(ConduitException.class,
                () -> registry.setRule(MODEL, new RolloutRule(Scope.SHOW, "ABC", "9.0.0")));
        assertEquals(ErrorCode.MODEL_NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains("scale-bias@9.0.0 is not published"), missing.getMessage());
        ConduitException unknownAlias = assertThrows(ConduitException.class,
                () -> registry.setRule(MODEL, new RolloutRule(Scope.SHOW, "ABC", "gamma")));
        assertEquals(ErrorCode.USAGE, unknownAlias.code());
        assertTrue(unknownAlias.getMessage().contains("\"gamma\" is neither a version of scale-bias nor one of its aliases"),
                unknownAlias.getMessage());
        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertThrows(ConduitException.class,
                () -> registry.setAlias(MODEL, "beta", SemVer.parse("2.0.0"))).code());
        assertEquals(ErrorCode.USAGE, assertThrows(ConduitException.class,
                () -> registry.setAlias(MODEL, "Not An Alias", SemVer.parse("1.0.0"))).code());
        assertTrue(assertThrows(ConduitException.class, () -> registry.setRule(MODEL,
                new RolloutRule(Scope.SHOW, "", "1.0.0"))).getMessage().contains("a show rule needs the show it is for"));
        try (ModelPackage pkg = ModelPackage.open(packageVersion("1.0.1+rebuild"))) {
            assertTrue(assertThrows(ConduitException.class, () -> registry.publish(pkg, "td")).getMessage()
                    .contains("carries build metadata"));
        }
        assertEquals(List.of(new RolloutRule(Scope.SHOW, "ABC", "1.0.0")), registry.rules(MODEL));
        assertEquals(0, registry.aliases(MODEL).size());
        assertEquals(List.of(SemVer.parse("1.0.0")), registry.versions(MODEL));
        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertThrows(ConduitException.class,
                () -> registry.resolve("nope", new ArtistContext("", "", ""))).code());
        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertThrows(ConduitException.class,
                () -> registry.record(MODEL, SemVer.parse("7.0.0"))).code());
        assertEquals(List.of(), registry.versions("nope"));
    }

    @Test
    void signedVersionsPullOnlyWhereTheKeyIsTrustedAndAlteredRecordsAreRefused() throws Exception {
        Path keys = dir.resolve("keys");
        java.security.PublicKey studio = Signatures.generate(keys);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        try (ModelPackage pkg = ModelPackage.open(packageVersion("1.0.0"))) {
            open(storage(), TrustPolicy.signingWith(keys, trust, false)).publish(pkg, "td");
        }
        Registry workstation = open(storage(), TrustPolicy.of(trust, false));
        assertEquals(Signatures.keyId(studio), workstation.record(MODEL, SemVer.parse("1.0.0")).signature().keyId());
        assertEquals(TrustPolicy.Outcome.VERIFIED, workstation.verifySignature(MODEL, SemVer.parse("1.0.0")));
        workstation.pull(MODEL, SemVer.parse("1.0.0"), dir.resolve("cache")).close();

        Path emptyTrust = Files.createDirectories(dir.resolve("empty-trust"));
        IntegrityException unknown = assertThrows(IntegrityException.class, () -> open(storage(),
                TrustPolicy.of(emptyTrust, false)).pull(MODEL, SemVer.parse("1.0.0"), dir.resolve("cache2")));
        assertTrue(unknown.getMessage().contains("which is not in the trust store"), unknown.getMessage());

        Path recordFile = storage().resolve("models/scale-bias/versions/1.0.0.json");
        Files.writeString(recordFile, Files.readString(recordFile).replace("\\\"cpuAllowed\\\": true",
                "\\\"cpuAllowed\\\": false"));
        IntegrityException altered = assertThrows(IntegrityException.class,
                () -> workstation.pull(MODEL, SemVer.parse("1.0.0"), dir.resolve("cache3")));
        assertTrue(altered.getMessage().contains("does not match its manifest; the version record was altered"),
                altered.getMessage());

        try (ModelPackage pkg = ModelPackage.open(packageVersion("2.0.0"))) {
            open(storage(), TrustPolicy.permissive()).publish(pkg, "td");
        }
        IntegrityException unsigned = assertThrows(IntegrityException.class,
                () -> workstation.pull(MODEL, SemVer.parse("2.0.0"), dir.resolve("cache4")));
        assertTrue(unsigned.getMessage().contains("is unsigned, and this workstation accepts only signed versions"),
                unsigned.getMessage());
        open(storage(), TrustPolicy.of(trust, true)).pull(MODEL, SemVer.parse("2.0.0"), dir.resolve("cache5")).close();
    }

    @Test
    void publishAndPullReportTheirProgress() throws Exception {
        Registry registry = open();
        long[] seen = new long[3]; // started total, advanced, finished
        Progress recorder = new Progress() {
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
        seen[0] = 0;
        seen[1] = 0;
        registry.pull(MODEL, SemVer.parse("1.0.0"), dir.resolve("cache"), recorder).close();
        assertEquals(modelBytes, seen[0]);
        assertEquals(modelBytes, seen[1]);
        assertEquals(2, seen[2]);
    }

    private static String show(Resolution r) {
        return r.version() + " by " + r.chosenBy();
    }
}
