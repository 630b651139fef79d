package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.bridge.nuke.NukeGizmoFolder;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.Registry;
import io.conduit.core.manifest.SemVer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conduit gizmos}: writes the Nuke gizmo definitions (one class per model and major version)
 * into the installed plug-in folder, so that every artist and every farm machine that opens a saved
 * script finds the same node classes. Run by a TD after installing or after publishing a new major
 * version; {@code conduit install} runs it for Nuke.
 */
@Command(name = "gizmos", mixinStandardHelpOptions = true,
        description = {"Writes Conduit's Nuke gizmos (one per model and major version valid for Nuke) into the"
                + " installed plug-in folder (default: the distribution's nuke/gizmos).",
                "Models come from the registry (every published version) or from a folder of packages (--models)."})
final class GizmosCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "The gizmo folder. Default: nuke/gizmos of this distribution.")
    Path out;

    @Option(names = "--models", paramLabel = "DIR", description = "Use this folder of packages instead of the registry.")
    Path models;

    @Mixin
    RegistryOptions registryOptions;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path folder = out != null ? out : InstallCommand.conduitRoot(null).resolve("nuke").resolve("gizmos");
        List<Manifest> manifests = models != null ? fromFolder(models) : fromRegistry(registryOptions.open());
        List<String> classes = new NukeGizmoFolder(folder).write(manifests);
        PrintWriter printer = spec.commandLine().getOut();
        if (json.enabled) {
            JsonObject answer = new JsonObject();
            answer.addProperty("folder", folder.toString());
            JsonArray names = new JsonArray();
            classes.forEach(names::add);
            answer.add("classes", names);
            json.print(printer, answer);
        } else {
            printer.println(classes.isEmpty() ? "no model declares Nuke; " + folder + " holds no Conduit gizmo"
                    : "wrote " + classes.size() + " gizmo(s) to " + folder + ": " + String.join(", ", classes));
        }
        printer.flush();
        return 0;
    }

    static List<Manifest> fromRegistry(Registry registry) {
        List<Manifest> manifests = new ArrayList<>();
        for (String name : registry.models()) {
            for (SemVer version : registry.versions(name)) {
                manifests.add(registry.manifest(name, version));
            }
        }
        return manifests;
    }

    private static List<Manifest> fromFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "--models " + folder + " is not a folder;"
                    + " expected a folder of model packages");
        }
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isRegularFile(child.resolve(ModelPackage.MANIFEST))) {
                    manifests.add(ManifestReader.read(child.resolve(ModelPackage.MANIFEST)));
                }
            }
        }
        return manifests;
    }
}
