package io.conduit.core.engine.remote;

import io.conduit.core.ErrorCode;

/** A service answered with an HTTP error status; carries its {@code {"error": ..., "code": ...}} message and code. */
final class RemoteStatusException extends Exception {
    final int status;
    /** The service's error code ({@code CDT-...}), or {@link ErrorCode#INTERNAL} when it sent none. */
    final ErrorCode code;

    RemoteStatusException(int status, ErrorCode code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
