package io.conduit.core.manifest;

import java.util.List;

/**
 * How a model appears inside one application: a Houdini node, a Maya menu action or a Nuke gizmo,
 * with its label, the menu category it is filed under and the parameters exposed to artists.
 */
public record HostEntry(String label, String category, List<HostParameter> parameters) {
    /** The applications a manifest may name under {@code hosts}. */
    public static final List<String> HOSTS = List.of("houdini", "maya", "nuke");

    public HostEntry {
        parameters = List.copyOf(parameters);
    }

    /**
     * Where the model sits in the application's menus: {@code Conduit/<category>/<label>}, without
     * repeating a leading "Conduit/" the category may already carry.
     */
    public String menuPath() {
        String section = category.replaceFirst("^Conduit/?", "");
        return "Conduit/" + (section.isEmpty() ? "" : section + "/") + label;
    }
}
