package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The distribution folder ({@code bin/}, {@code lib/}, {@code demo/}): the {@code conduit.home}
 * system property the launcher sets, or else the folder above the jar this class was loaded from.
 */
final class ConduitHome {
    private ConduitHome() {
    }

    static Path locate() {
        String property = System.getProperty("conduit.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(ConduitHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = Files.isRegularFile(jar) ? jar.getParent().getParent() : jar;
            return home.toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot tell where Conduit is installed;"
                    + " set -Dconduit.home=DIR (the launcher script does)");
        }
    }
}
