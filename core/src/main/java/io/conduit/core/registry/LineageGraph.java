package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.manifest.Lineage;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model version's ancestry, read from the registry: the version itself, then every parent named
 * in its lineage, their parents, and so on back to the roots. A parent the registry does not hold
 * stays in the graph, marked missing, so a broken chain is visible rather than silently cut.
 */
public final class LineageGraph {
    /** One version in the graph; {@code lineage} is empty when the registry lacks it. */
    public record Node(String coordinate, Optional<Lineage> lineage, List<String> parents) {
        public boolean missing() {
            return lineage.isEmpty();
        }
    }

    private final Map<String, Node> nodes;

    private LineageGraph(Map<String, Node> nodes) {
        this.nodes = nodes;
    }

    /** Walks from {@code name@version} back through every parent the lineage names. */
    public static LineageGraph of(Registry registry, String name, SemVer version) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>(List.of(name + "@" + version));
        registry.manifest(name, version); // the starting version must exist: an error names what does
        while (!pending.isEmpty()) {
            String coordinate = pending.removeFirst();
            if (nodes.containsKey(coordinate)) {
                continue; // shared ancestors, or a cycle someone wrote by hand
            }
            int at = coordinate.lastIndexOf('@');
            Optional<Manifest> manifest = find(registry, coordinate.substring(0, at), coordinate.substring(at + 1));
            List<String> parents = manifest.map(m -> m.lineage().parents()).orElse(List.of());
            nodes.put(coordinate, new Node(coordinate, manifest.map(Manifest::lineage), parents));
            pending.addAll(parents);
        }
        return new LineageGraph(nodes);
    }

    private static Optional<Manifest> find(Registry registry, String name, String version) {
        try {
            return Optional.of(registry.manifest(name, SemVer.parse(version)));
        } catch (ConduitException | IllegalArgumentException notThere) {
            return Optional.empty();
        }
    }

    /** The nodes, the starting version first, then breadth-first towards the roots. */
    public List<Node> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /** Graphviz: one box per version (dashed when missing), an edge from each parent to its child. */
    public String toDot() {
        StringBuilder dot = new StringBuilder("digraph lineage {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for (Node n : nodes.values()) {
            String label = n.coordinate() + n.lineage().flatMap(Lineage::code).map(c -> "\\n" + c.commit()).orElse("");
            dot.append("  \"").append(n.coordinate()).append("\" [label=\"").append(label).append('"')
                    .append(n.missing() ? ", style=dashed" : "").append("];\n");
            for (String parent : n.parents()) {
                dot.append("  \"").append(parent).append("\" -> \"").append(n.coordinate()).append("\";\n");
            }
        }
        return dot.append("}\n").toString();
    }
}
