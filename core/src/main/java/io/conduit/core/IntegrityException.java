package io.conduit.core;

/**
 * A file in a model package does not match the sha256 its manifest records, or is missing. The message names the file, so a TD knows which copy went wrong.
 */
public class IntegrityException extends ConduitException {
    public IntegrityException(String message) {
        super(ErrorCode.PACKAGE_INTEGRITY, message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(ErrorCode.PACKAGE_INTEGRITY, message, cause);
    }
}
