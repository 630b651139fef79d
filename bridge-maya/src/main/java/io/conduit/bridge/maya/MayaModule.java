package io.conduit.bridge.maya;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.nio.file.Path;

/**
 * The Maya module file ({@code conduit.mod} on {@code MAYA_MODULE_PATH}, e.g. {@code ~/maya/modules})
 * that makes Maya load the bridge: the module's folder (whose {@code scripts/} Maya puts on the
 * Python path and whose {@code scripts/userSetup.py} it runs at start-up), {@code CONDUIT_ROOT}, and
 * the shared Python client appended to {@code PYTHONPATH}. Grammar per Autodesk's "Module description
 * files" page: a {@code + } line starts a module, entries follow, and a blank line stops Maya reading
 * until the next {@code + } line, so the template has none inside its block. The module's path is the
 * rest of its {@code + } line, so a root with spaces ({@code C:\Program Files\Conduit}) is written as
 * it is, as Arnold's own module does ({@code + mtoa any C:\Program Files\Autodesk\Arnold\maya2022});
 * only a line break, which would end the line, is refused.
 */
public final class MayaModule {
    /** The file name Maya finds on its module path. */
    public static final String FILE_NAME = "conduit.mod";
    private static final String TEMPLATE = "conduit.mod.template";

    private MayaModule() {
    }

    /** The module file for a Conduit installation at {@code conduitRoot}. */
    public static String render(Path conduitRoot, String version) {
        String root = conduitRoot.toAbsolutePath().normalize().toString();
        if (root.contains("\n") || root.contains("\r")) {
            throw new ConduitException(ErrorCode.USAGE, "the Conduit folder " + root.replaceAll("[\r\n]", "?")
                    + " contains a line break, which a Maya module line cannot hold; install Conduit in another folder");
        }
        return io.conduit.core.io.Resources.text(MayaModule.class, TEMPLATE).replace("@CONDUIT_ROOT@", root).replace("@CONDUIT_VERSION@", version);
    }
}
