package io.conduit.core.manifest;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0.0 version ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}), ordered by
 * precedence so that "the newest version" means what a TD expects: {@code 1.10.0 > 1.9.0 > 1.9.0-rc.1}.
 */
public record SemVer(int major, int minor, int patch, String preRelease, String build) implements Comparable<SemVer> {
    private static final Pattern FORMAT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    public SemVer {
        preRelease = Objects.requireNonNullElse(preRelease, "");
        build = Objects.requireNonNullElse(build, "");
    }

    /** Parses a version, or throws {@link IllegalArgumentException} saying what the format is. */
    public static SemVer parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a semantic version; expected MAJOR.MINOR.PATCH,"
                    + " e.g. 1.4.0 or 2.0.0-rc.1");
        }
        try {
            return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4), m.group(5));
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("\"" + text + "\" has a version number too large to hold", tooLarge);
        }
    }

    @Override
    public int compareTo(SemVer other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) c = Integer.compare(minor, other.minor);
        if (c == 0) c = Integer.compare(patch, other.patch);
        if (c == 0) c = comparePreRelease(preRelease, other.preRelease);
        return c;
    }

    private static int comparePreRelease(String a, String b) {
        if (a.equals(b)) return 0;
        if (a.isEmpty()) return 1; // a release ranks above its pre-releases
        if (b.isEmpty()) return -1;
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            boolean na = pa[i].chars().allMatch(Character::isDigit);
            boolean nb = pb[i].chars().allMatch(Character::isDigit);
            int c = na && nb ? Long.compare(Long.parseLong(pa[i]), Long.parseLong(pb[i]))
                    : na ? -1 : nb ? 1 : pa[i].compareTo(pb[i]);
            if (c != 0) return c;
        }
        return Integer.compare(pa.length, pb.length);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease)
                + (build.isEmpty() ? "" : "+" + build);
    }
}
