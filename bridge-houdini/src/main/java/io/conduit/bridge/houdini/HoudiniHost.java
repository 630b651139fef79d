package io.conduit.bridge.houdini;

import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Manifest;
import java.util.Optional;

/**
 * The Houdini bridge's Java side: for now, the key under which a manifest describes how a model appears
 * in Houdini. The Python that runs inside Houdini, its file layouts and data codecs come with the Houdini bridge
 * issue; this module already builds and tests so that work has a home.
 */
public final class HoudiniHost {
    /** The key under {@code hosts} in a manifest. */
    public static final String MANIFEST_KEY = "houdini";

    private HoudiniHost() {
    }

    /** The model's Houdini entry, if the manifest declares the model valid for Houdini. */
    public static Optional<HostEntry> entry(Manifest manifest) {
        return Optional.ofNullable(manifest.hosts().get(MANIFEST_KEY));
    }
}
