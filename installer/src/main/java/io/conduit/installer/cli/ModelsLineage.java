package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models lineage}: see its {@code description}. */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Prints the chain of parent models back to the root, with each one's training data and code"
                + " commit; --json, or --dot for Graphviz.")
final class ModelsLineage extends ModelsSubcommand {
    @Parameters(paramLabel = "NAME@VERSION|ALIAS")
    String coordinate;

    @Option(names = "--dot", description = "Print a Graphviz graph (dot -Tpng lineage.dot -o lineage.png).")
    boolean dot;

    @Override
    public Integer call() {
        Coordinate c = coordinate(coordinate, registry.open());
        var graph = io.conduit.core.registry.LineageGraph.of(registry.open(), c.name(),
                c.version());
        if (dot) {
            out().print(graph.toDot());
            out().flush();
            return 0;
        }
        JsonArray nodes = new JsonArray();
        for (var node : graph.nodes()) {
            JsonObject o = new JsonObject();
            o.addProperty("model", node.coordinate());
            o.addProperty("inRegistry", !node.missing());
            JsonArray parents = new JsonArray();
            node.parents().forEach(parents::add);
            o.add("parents", parents);
            node.lineage().ifPresent(l -> {
                JsonArray data = new JsonArray();
                l.trainingData().forEach(d -> {
                    JsonObject j = new JsonObject();
                    j.addProperty("uri", d.uri());
                    j.addProperty("sha256", d.sha256());
                    data.add(j);
                });
                o.add("trainingData", data);
                l.code().ifPresent(code -> o.addProperty("commit", code.repository() + "@" + code.commit()));
                o.addProperty("createdBy", l.createdBy());
                o.addProperty("createdAt", l.createdAt().toString());
            });
            nodes.add(o);
            if (!json.enabled) {
                out().println(node.coordinate() + (node.missing() ? "  (not in this registry)" : ""));
                node.lineage().ifPresent(l -> {
                    l.code().ifPresent(code -> out().println("    code: " + code.repository() + " @ " + code.commit()));
                    l.trainingData().forEach(d -> out().println("    data: " + d.uri() + "  sha256 " + d.sha256()));
                    out().println("    parents: " + (node.parents().isEmpty() ? "none (root)"
                            : String.join(", ", node.parents())));
                });
            }
        }
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.add("lineage", nodes);
            json.print(out(), o);
        }
        return 0;
    }
}
