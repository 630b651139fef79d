package io.conduit.core.registry;

import io.conduit.core.manifest.SemVer;

/** The version a model resolves to for an artist, and the rule (or default) that chose it, in words. */
public record Resolution(String model, SemVer version, String chosenBy) {
    public String coordinate() {
        return model + "@" + version;
    }
}
