package io.conduit.core;

/**
 * A model package's manifest is missing a field, holds a value of the wrong kind, or contradicts itself. The message names the field (as a JSON path), the value found and what was expected.
 */
public class ManifestException extends ConduitException {
    public ManifestException(String message) {
        super(ErrorCode.MANIFEST_INVALID, message);
    }

    public ManifestException(String message, Throwable cause) {
        super(ErrorCode.MANIFEST_INVALID, message, cause);
    }
}
