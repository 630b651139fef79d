package io.conduit.core;

/**
 * A service holds a different package under the same name and version than the caller: the two
 * manifests' sha256 differ, so the same {@code name@version} would give different answers on
 * different routes. The message names both digests and where each came from.
 */
public class PackageMismatchException extends ConduitException {
    public PackageMismatchException(String message) {
        super(ErrorCode.PACKAGE_MISMATCH, message);
    }
}
