package io.conduit.core.triton;

import io.conduit.core.manifest.SemVer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The map between Conduit's semantic versions and Triton's integer versions of one model, carried
 * in the model configuration's {@code parameters} (two string parameters per version:
 * {@code conduit_version_N} and {@code conduit_manifest_sha256_N}). {@code conduit models
 * export-triton} writes it into {@code config.pbtxt}; {@code conduit serve} answers it from its
 * config endpoint; the remote engine reads it from {@code GET /v2/models/NAME/config}, the
 * endpoint both Triton and {@code conduit serve} answer, before choosing the numeric route.
 */
public final class TritonVersionMap {
    static final String VERSION_KEY = "conduit_version_";
    static final String SHA_KEY = "conduit_manifest_sha256_";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(VERSION_KEY) + "([1-9][0-9]*)");

    private final List<TritonVersion> versions;

    public TritonVersionMap(List<TritonVersion> versions) {
        List<TritonVersion> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparingLong(TritonVersion::number));
        this.versions = List.copyOf(sorted);
    }

    /** The versions, by number. */
    public List<TritonVersion> versions() {
        return versions;
    }

    public Optional<TritonVersion> find(SemVer version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    public Optional<TritonVersion> find(long number) {
        return versions.stream().filter(v -> v.number() == number).findFirst();
    }

    /** The next unused number. */
    public long nextNumber() {
        return versions.isEmpty() ? 1 : versions.get(versions.size() - 1).number() + 1;
    }

    public TritonVersionMap with(TritonVersion added) {
        List<TritonVersion> all = new ArrayList<>(versions);
        all.add(added);
        return new TritonVersionMap(all);
    }

    /** The config parameters that carry this map. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        for (TritonVersion v : versions) {
            p.put(VERSION_KEY + v.number(), v.version().toString());
            p.put(SHA_KEY + v.number(), v.manifestSha256());
        }
        return p;
    }

    /**
     * Reads the map back from a config's string parameters; keys it does not know are ignored
     * (a platform team may add its own), a version without its digest or with an unreadable
     * semantic version is left out, so it can never be matched.
     */
    public static TritonVersionMap fromParameters(Map<String, String> parameters) {
        List<TritonVersion> found = new ArrayList<>();
        parameters.forEach((key, value) -> {
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                return;
            }
            String sha = parameters.get(SHA_KEY + m.group(1));
            try {
                if (sha != null && sha.matches("[0-9a-f]{64}")) {
                    found.add(new TritonVersion(Long.parseLong(m.group(1)), SemVer.parse(value), sha));
                }
            } catch (IllegalArgumentException unreadable) {
                // not a version this client can match; skipped
            }
        });
        return new TritonVersionMap(found);
    }
}
