package io.conduit.bridge.nuke;

import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Manifest;
import java.util.Optional;

/**
 * The Nuke bridge's Java side: for now, the key under which a manifest describes how a model appears
 * in Nuke. The Python that runs inside Nuke, its file layouts and data codecs come with the Nuke bridge
 * issue; this module already builds and tests so that work has a home.
 */
public final class NukeHost {
    /** The key under {@code hosts} in a manifest. */
    public static final String MANIFEST_KEY = "nuke";

    private NukeHost() {
    }

    /** The model's Nuke entry, if the manifest declares the model valid for Nuke. */
    public static Optional<HostEntry> entry(Manifest manifest) {
        return Optional.ofNullable(manifest.hosts().get(MANIFEST_KEY));
    }
}
