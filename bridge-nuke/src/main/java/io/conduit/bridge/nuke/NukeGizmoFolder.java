package io.conduit.bridge.nuke;

import io.conduit.core.io.AtomicFiles;
import io.conduit.core.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installed folder of Conduit's gizmos ({@code nuke/gizmos} of the distribution, or a studio
 * folder on {@code NUKE_PATH}): one {@code .gizmo} per model and major version valid for Nuke,
 * written when Conduit is installed or a TD refreshes it, never per user at start-up, so a farm
 * machine or another artist opening a saved script finds the same classes.
 */
public final class NukeGizmoFolder {
    private final Path folder;

    public NukeGizmoFolder(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /**
     * Writes one gizmo per (model, major version) among {@code manifests} that declare Nuke, from the
     * newest version of each major; files whose text is already right are left alone. Returns the
     * classes written or confirmed, in name order.
     */
    public List<String> write(List<Manifest> manifests) throws IOException {
        Map<String, Manifest> newestPerClass = new LinkedHashMap<>();
        manifests.stream()
                .filter(m -> NukeHost.entry(m).isPresent())
                .sorted(Comparator.comparing(Manifest::version))
                .forEach(m -> newestPerClass.put(NukeGizmo.className(m), m));
        Files.createDirectories(folder);
        List<String> classes = new ArrayList<>();
        for (Map.Entry<String, Manifest> entry : newestPerClass.entrySet()) {
            Path file = folder.resolve(entry.getKey() + ".gizmo");
            byte[] text = NukeGizmo.text(entry.getValue()).getBytes(StandardCharsets.UTF_8);
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), text)) {
                AtomicFiles.write(file, out -> out.write(text));
            }
            classes.add(entry.getKey());
        }
        classes.sort(null);
        return classes;
    }
}
