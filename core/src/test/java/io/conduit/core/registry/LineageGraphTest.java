package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.manifest.Lineage;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageGraphTest {
    @TempDir
    Path dir;

    private void publish(DirectoryRegistry registry, String name, String version, List<String> parents, String commit) {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir.resolve(name + "-" + version), m -> new Manifest(
                m.schemaVersion(), name, SemVer.parse(version), m.description(), m.authors(), m.modelFile(), m.inputs(),
                m.outputs(), m.requirements(), m.hosts(), new Lineage(
                        List.of(new Lineage.DataRef("s3://data/" + name, "a".repeat(64))), parents,
                        Optional.of(new Lineage.CodeRef("git@studio:ml.git", commit, Optional.empty(), false)),
                        Optional.empty(), Optional.empty(), "td", Instant.parse("2026-11-01T00:00:00Z"), Map.of()),
                m.assets(), m.files()));
        try (ModelPackage opened = ModelPackage.open(pkg)) {
            registry.publish(opened, "td");
        }
    }

    @Test
    void walksEveryParentBackToTheRootsAndShowsBrokenLinks() {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        publish(registry, "base", "1.0.0", List.of(), "c0ffee1");
        publish(registry, "fine", "2.0.0", List.of("base@1.0.0", "vendor-net@0.3.0"), "beef002");
        publish(registry, "show-fine", "1.0.0", List.of("fine@2.0.0", "base@1.0.0"), "f00d003");
        LineageGraph graph = LineageGraph.of(registry, "show-fine", SemVer.parse("1.0.0"));
        List<String> order = graph.nodes().stream().map(LineageGraph.Node::coordinate).toList();
        assertEquals(List.of("show-fine@1.0.0", "fine@2.0.0", "base@1.0.0", "vendor-net@0.3.0"), order,
                "breadth-first, each ancestor once");
        LineageGraph.Node vendor = graph.nodes().get(3);
        assertTrue(vendor.missing(), "a parent outside the registry stays visible");
        assertFalse(graph.nodes().get(2).missing());
        assertEquals("c0ffee1", graph.nodes().get(2).lineage().orElseThrow().code().orElseThrow().commit());
        String dot = graph.toDot();
        assertTrue(dot.contains("\"base@1.0.0\" -> \"fine@2.0.0\";"), dot);
        assertTrue(dot.contains("\"vendor-net@0.3.0\" [label=\"vendor-net@0.3.0\", style=dashed];"), dot);
        assertThrows(ConduitException.class, () -> LineageGraph.of(registry, "show-fine", SemVer.parse("9.0.0")));
    }
}
