package io.conduit.core.registry;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where published models live: immutable versions, aliases such as {@code stable} and
 * {@code beta}, and rollout rules that give one show v2 while lighting tries v3. The directory
 * backend ({@link DirectoryRegistry}) works on a file share; the HTTP backend ({@link HttpRegistry})
 * talks to {@code conduit serve --registry} and keeps the same contract (one behaviour suite runs
 * against both).
 */
public interface Registry {
    /** Where this registry is, for messages. */
    String describe();

    /** Whether the registry can be reached now (its share is mounted, its server answers). */
    boolean reachable();

    /** Publishes a verified package; refuses a version that already exists. */
    default Manifest publish(ModelPackage pkg, String publisher) {
        return publish(pkg, publisher, io.conduit.core.io.Progress.NONE);
    }

    /** As above, reporting the bytes stored to {@code progress}. */
    Manifest publish(ModelPackage pkg, String publisher, io.conduit.core.io.Progress progress);

    List<String> models();

    /** The published versions of a model, oldest first; empty when the model is unknown. */
    List<SemVer> versions(String name);

    Manifest manifest(String name, SemVer version);

    /** The published record of a version: manifest text, publisher, time and signature. */
    VersionRecord record(String name, SemVer version);

    /** Checks the version's signature against this client's trust policy, without copying anything. */
    TrustPolicy.Outcome verifySignature(String name, SemVer version);

    /** The version as a verified package folder under {@code cacheDir}, copied there once. */
    default ModelPackage pull(String name, SemVer version, Path cacheDir) {
        return pull(name, version, cacheDir, io.conduit.core.io.Progress.NONE);
    }

    /** As above, reporting the bytes copied to {@code progress}. */
    ModelPackage pull(String name, SemVer version, Path cacheDir, io.conduit.core.io.Progress progress);

    Map<String, SemVer> aliases(String name);

    /** Points an alias at a published version. */
    void setAlias(String name, String alias, SemVer version);

    List<RolloutRule> rules(String name);

    /** Adds or replaces the rule for the rule's scope and value; an empty target removes it. */
    void setRule(String name, RolloutRule rule);

    /** The version {@code context} gets, and which rule chose it; withdrawn (yanked) versions are skipped. */
    Resolution resolve(String name, ArtistContext context);

    /**
     * Signs a published version with this client's signing key (registry.signingKey), keeping its
     * version number: the record gains the signature, nothing else changes. Returns the new record.
     */
    VersionRecord sign(String name, SemVer version);

    /**
     * Withdraws a published version: resolution skips it from now on, whoever pins it is warned with
     * {@code reason}, and nothing is deleted. Returns the new record.
     */
    VersionRecord yank(String name, SemVer version, String reason, String by);

    /**
     * Every version {@link #resolve} can answer for some artist: the targets of the rollout rules
     * (through aliases) and the newest release. A workstation needs only these, not every version.
     */
    default java.util.Set<SemVer> resolvableVersions(String name) {
        List<SemVer> versions = versions(name);
        java.util.Set<SemVer> resolvable = new java.util.TreeSet<>();
        versions.stream().filter(v -> v.preRelease().isEmpty()).reduce((a, b) -> b)
                .or(() -> versions.stream().reduce((a, b) -> b)).ifPresent(resolvable::add);
        Map<String, SemVer> aliases = aliases(name);
        for (RolloutRule rule : rules(name)) {
            if (aliases.containsKey(rule.target())) {
                resolvable.add(aliases.get(rule.target()));
            } else {
                try {
                    resolvable.add(SemVer.parse(rule.target()));
                } catch (IllegalArgumentException dangling) {
                    // an alias removed after the rule was set: resolve() reports it when asked
                }
            }
        }
        resolvable.retainAll(versions);
        return resolvable;
    }
}
