package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.Registry;
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

    static ModelPackage open(String reference, RegistryOptions registry, java.io.PrintWriter err) {
        Matcher m = REGISTRY_REFERENCE.matcher(reference);
        // A bare word is a registry model even when a folder of that name sits here: a TD's working copy
        // must not stand in for the published version unless asked for as a path (./NAME).
        boolean path = !m.matches() || reference.contains("/") || reference.contains(java.io.File.separator)
                || reference.endsWith(".zip") || reference.startsWith(".");
        if (path) {
            return ModelPackage.open(Path.of(reference));
        }
        try {
            return fromRegistry(m, registry, err);
        } catch (ConduitException e) {
            if (Files.exists(Path.of(reference))) {
                throw new ConduitException(e.code(), e.getMessage() + " (to use the folder " + reference
                        + " here instead, write ./" + reference + ")");
            }
            throw e;
        }
    }

    private static ModelPackage fromRegistry(Matcher m, RegistryOptions registry, java.io.PrintWriter err) {
        Registry r = registry.open();
        String name = m.group(1);
        String which = m.group(2);
        var cache = registry.modelCache();
        if (!r.reachable()) {
            return offline(r, cache, name, which, err);
        }
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
        if (which != null) {
            // Pinned (a version or an alias): still served, since nothing is deleted, but never silently.
            warnIfYanked(r.record(name, version).yanked(), name, version, err, "unpin it to get the version your"
                    + " rollout resolves to");
        }
        return cache.pull(r, name, version, new TerminalProgress());
    }

    /** The registry cannot be reached (its share is not mounted, its server is down): serve from the cache, and say so. */
    private static ModelPackage offline(Registry r, io.conduit.core.registry.ModelCache cache, String name,
                                        String which, java.io.PrintWriter err) {
        SemVer version;
        if (which == null) {
            version = cache.newest(name).orElseThrow(() -> unreachable(r, name + " is not in the cache either"));
        } else {
            try {
                version = SemVer.parse(which);
            } catch (IllegalArgumentException alias) {
                throw unreachable(r, "aliases such as \"" + which + "\" cannot be resolved without it; name a version");
            }
        }
        ModelPackage pkg = cache.open(name, version).orElseThrow(() -> unreachable(r, name + "@" + version
                + " is not in the cache " + cache.root()));
        err.println("conduit: registry " + r.describe() + " is unreachable; using the cached " + name + "@" + version
                + (which == null ? " (the newest cached version, not necessarily the one your rollout rules pick)" : ""));
        // As of the copy's last pull: a yank made since then is told at the next pull.
        cache.record(name, version).ifPresent(record -> warnIfYanked(record.yanked(), name, version, err,
                which == null ? "name a version that was not" : "unpin it once the registry is back"));
        err.flush();
        return pkg;
    }

    private static void warnIfYanked(io.conduit.core.registry.VersionRecord.Yank yank, String name, SemVer version,
                                     java.io.PrintWriter err, String advice) {
        if (yank != null) {
            err.println("warning: " + name + "@" + version + " was " + yank.describe() + "; " + advice);
            err.flush();
        }
    }

    private static ConduitException unreachable(Registry r, String what) {
        return new ConduitException(ErrorCode.REMOTE_UNAVAILABLE, "registry " + r.describe() + " is unreachable and " + what);
    }
}
