package io.conduit.bridge.maya;

import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.Manifest;
import java.util.Optional;

/**
 * The Maya bridge's Java side: for now, the key under which a manifest describes how a model appears
 * in Maya. The Python that runs inside Maya, its file layouts and data codecs come with the Maya bridge
 * issue; this module already builds and tests so that work has a home.
 */
public final class MayaHost {
    /** The key under {@code hosts} in a manifest. */
    public static final String MANIFEST_KEY = "maya";

    private MayaHost() {
    }

    /** The model's Maya entry, if the manifest declares the model valid for Maya. */
    public static Optional<HostEntry> entry(Manifest manifest) {
        return Optional.ofNullable(manifest.hosts().get(MANIFEST_KEY));
    }
}
