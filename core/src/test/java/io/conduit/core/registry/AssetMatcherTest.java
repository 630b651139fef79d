package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conduit.core.ConduitException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetMatcherTest {
    @TempDir
    Path dir;

    private void publish(DirectoryRegistry registry, String name, String version, List<String> assets) {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir.resolve(name + "-" + version), m -> new Manifest(
                m.schemaVersion(), name, SemVer.parse(version), m.description(), m.authors(), m.modelFile(), m.inputs(),
                m.outputs(), m.requirements(), m.hosts(), m.lineage(), assets, m.files()));
        try (ModelPackage opened = ModelPackage.open(pkg)) {
            registry.publish(opened, "td");
        }
    }

    @Test
    void findsModelsWhoseResolvedVersionListsTheAssetsTags() throws Exception {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        publish(registry, "car-cleanup", "1.0.0", List.of("vehicle"));
        publish(registry, "car-cleanup", "2.0.0", List.of("vehicle", "hard-surface"));
        publish(registry, "plate-denoise", "1.0.0", List.of("plate"));
        registry.setRule("car-cleanup", new RolloutRule(Scope.SHOW, "OLD", "1.0.0"));
        Path catalogFile = dir.resolve("assets.json");
        Files.writeString(catalogFile, "{\"hero_car\": [\"hard-surface\", \"show:ABC\"], \"bg_plate\": [\"plate\"]}");
        FileAssetCatalog catalog = FileAssetCatalog.load(catalogFile);

        List<AssetMatcher.Match> forCar = AssetMatcher.find(registry, List.of("hero_car"), catalog,
                new ArtistContext("ABC", "", ""));
        assertEquals(1, forCar.size());
        assertEquals("car-cleanup@2.0.0", forCar.get(0).resolution().coordinate());
        assertEquals(List.of("hard-surface"), forCar.get(0).matchedTags());
        assertEquals(List.of(), AssetMatcher.find(registry, List.of("hero_car"), catalog, new ArtistContext("OLD", "", "")),
                "on show OLD the car model resolves to 1.0.0, which is not valid for hard-surface assets");
        List<AssetMatcher.Match> byTag = AssetMatcher.find(registry, List.of("plate", "vehicle"), catalog,
                new ArtistContext("", "", ""));
        assertEquals(List.of("car-cleanup@2.0.0", "plate-denoise@1.0.0"),
                byTag.stream().map(m -> m.resolution().coordinate()).toList());
        Files.writeString(catalogFile, "[1, 2]");
        assertThrows(ConduitException.class, () -> FileAssetCatalog.load(catalogFile));
    }
}
