package io.conduit.core.protocol;

import io.conduit.core.PackageMismatchException;

/**
 * How a caller and a service agree they run the same package: the caller sends the sha256 of its
 * {@code conduit.json} (which lists every file's sha256) in the {@value #HEADER} request header; the
 * service refuses the call with 409 when its own package of that name and version differs, and
 * answers its digest in the response's {@value #PARAMETER} parameter either way. Two packages
 * published separately under one {@code name@version} are thus never mixed across routes.
 */
public final class PackageDigest {
    /** Request header carrying the caller's package digest. */
    public static final String HEADER = "Conduit-Package-Digest";
    /** Response parameter carrying the service's package digest. */
    public static final String PARAMETER = "conduit_package_digest";

    private PackageDigest() {
    }

    /** The refusal when {@code holder}'s package ({@code holderDigest}) is not the caller's ({@code callerDigest}). */
    public static PackageMismatchException mismatch(String coordinate, String holder, String holderDigest,
                                                    String callerDigest) {
        return new PackageMismatchException(holder + " holds a different " + coordinate + " (package digest "
                + abbreviate(holderDigest) + "; the caller's is " + abbreviate(callerDigest) + "): two packages were"
                + " published under one name and version; publish the changed one under a new version");
    }

    private static String abbreviate(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }
}
