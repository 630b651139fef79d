package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
    @TempDir
    Path dir;

    private DirectoryRegistry registryWith(String model, String... versions) {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        for (String version : versions) {
            String onnx = model.equals("a") ? "scale_bias.onnx" : "two_in_two_out.onnx";
            Path pkg = TestModels.packageOf(onnx, dir.resolve(model + version), m -> new Manifest(m.schemaVersion(), model,
                    SemVer.parse(version), m.description(), m.authors(), m.modelFile(), m.inputs(), m.outputs(),
                    m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files()));
            try (ModelPackage opened = ModelPackage.open(pkg)) {
                registry.publish(opened, "td");
            }
        }
        return registry;
    }

    @Test
    void keepsTheMostRecentlyUsedVersionsWithinItsBound() throws Exception {
        DirectoryRegistry registry = registryWith("a", "1.0.0", "2.0.0", "3.0.0");
        new ModelCache(dir.resolve("cache"), Long.MAX_VALUE).pull(registry, "a", SemVer.parse("1.0.0")).close();
        long onePackage;
        try (var files = Files.walk(dir.resolve("cache/a/1.0.0"))) {
            onePackage = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        ModelCache cache = new ModelCache(dir.resolve("cache"), 2 * onePackage + onePackage / 2); // room for two
        // No pauses between uses: each use is stamped a later millisecond than the one before, however fast.
        cache.pull(registry, "a", SemVer.parse("2.0.0")).close();
        cache.open("a", SemVer.parse("1.0.0")).orElseThrow().close(); // 1.0.0 is now the most recent
        cache.pull(registry, "a", SemVer.parse("3.0.0")).close();
        assertTrue(cache.open("a", SemVer.parse("1.0.0")).isPresent(), "recently used: kept");
        assertFalse(cache.open("a", SemVer.parse("2.0.0")).isPresent(), "least recently used: evicted");
        assertTrue(cache.open("a", SemVer.parse("3.0.0")).isPresent(), "just pulled: kept");
        assertEquals(SemVer.parse("3.0.0"), cache.newest("a").orElseThrow());
    }

    @Test
    void servesCachedVersionsWhenTheRegistryIsGone() throws Exception {
        DirectoryRegistry registry = registryWith("a", "1.0.0");
        ModelCache cache = new ModelCache(dir.resolve("cache"), Long.MAX_VALUE);
        cache.pull(registry, "a", SemVer.parse("1.0.0")).close();
        io.conduit.core.io.FileTrees.deleteQuietly(registry.root());
        try (ModelPackage offline = cache.open("a", cache.newest("a").orElseThrow()).orElseThrow()) {
            assertEquals("a@1.0.0", offline.manifest().coordinate(), "verified from the cache alone");
        }
    }
}
