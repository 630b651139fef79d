package io.conduit.core.triton;

import io.conduit.core.manifest.SemVer;

/**
 * One version of a model as a Triton-style server numbers it: Triton routes only integer versions
 * ({@code /v2/models/NAME/versions/N}), so each Conduit semantic version is given a number, and the
 * sha256 of the package's {@code conduit.json} travels with it so a client can prove that number
 * serves the package its own manifest names.
 *
 * @param number the integer version a Triton-style server routes
 * @param version the package's semantic version
 * @param manifestSha256 lowercase hex sha256 of the package's {@code conduit.json}
 */
public record TritonVersion(long number, SemVer version, String manifestSha256) {
    public TritonVersion {
        if (number < 1) {
            throw new IllegalArgumentException("Triton versions are numbered from 1; got " + number);
        }
    }
}
