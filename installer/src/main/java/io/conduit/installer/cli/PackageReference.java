package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.DirectoryRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a command's PACKAGE argument may name: a package folder or zip on disk, or a model in the
 * registry as {@code NAME} (the version the artist's scope resolves to), {@code NAME@VERSION} or
 * {@code NAME@ALIAS}. Registry versions are pulled into the cache, verified, before use.
 */
final class PackageReference {
    private static final Pattern REGISTRY_REFERENCE = Pattern.compile("([a-z0-9][a-z0-9._-]{0,63})(?:@(.+))?");

    private PackageReference() {
    }

    static ModelPackage open(String reference, RegistryOptions registry) {
        Path path = Path.of(reference);
        Matcher m = REGISTRY_REFERENCE.matcher(reference);
        if (Files.exists(path) || !m.matches() || reference.contains("/")) {
            return ModelPackage.open(path);
        }
        DirectoryRegistry r = registry.open();
        String name = m.group(1);
        String which = m.group(2);
        SemVer version;
        if (which == null) {
            version = r.resolve(name, registry.context(null, null, null)).version();
        } else if (r.aliases(name).containsKey(which)) {
            version = r.aliases(name).get(which);
        } else {
            try {
                version = SemVer.parse(which);
            } catch (IllegalArgumentException e) {
                throw new ConduitException(ErrorCode.USAGE, "\"" + which + "\" is neither a version of " + name
                        + " nor one of its aliases " + r.aliases(name).keySet());
            }
        }
        return r.pull(name, version, registry.cache());
    }
}
