package io.conduit.bridge.houdini;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.nio.file.Path;

/**
 * The Houdini package file ({@code conduit.json} in a {@code packages} folder Houdini scans at
 * start-up, https://www.sidefx.com/docs/houdini/ref/plugins.html) that makes Houdini load the
 * bridge: it sets {@code CONDUIT_ROOT}, prepends the shared Python client to {@code PYTHONPATH}
 * and adds the bridge's folder to {@code HOUDINI_PATH}. The installer writes it; this renders it
 * from the template in {@code src/main/houdini/packages}.
 */
public final class HoudiniPackage {
    /** The file name Houdini finds in a packages folder. */
    public static final String FILE_NAME = "conduit.json";
    private static final String TEMPLATE = "conduit.json.template";

    private HoudiniPackage() {
    }

    /** The package JSON for a Conduit installation at {@code conduitRoot}. */
    public static String render(Path conduitRoot, String version) {
        // Forward slashes: Houdini accepts them on every OS, and a backslash would need JSON escaping.
        String root = conduitRoot.toAbsolutePath().normalize().toString().replace('\\', '/');
        if (root.contains("\"")) {
            throw new ConduitException(ErrorCode.USAGE, "the Conduit folder " + root + " contains a double quote, which a"
                    + " Houdini package file cannot hold; install Conduit elsewhere");
        }
        return io.conduit.core.io.Resources.text(HoudiniPackage.class, TEMPLATE).replace("@CONDUIT_ROOT@", root).replace("@CONDUIT_VERSION@", version);
    }
}
