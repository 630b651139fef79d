package io.conduit.installer.setup;

import java.nio.file.Path;

/**
 * One application found on this machine for one user: which ({@code houdini}, {@code maya},
 * {@code nuke}), which version (or {@code any} where the registration does not depend on it), and
 * the preferences folder its registration goes into.
 */
public record AppInstall(String app, String version, Path preferences) {
    @Override
    public String toString() {
        return app + " " + version + " (" + preferences + ")";
    }
}
