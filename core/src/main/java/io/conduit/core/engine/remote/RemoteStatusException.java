package io.conduit.core.engine.remote;

/** A service answered with an HTTP error status; carries its {@code {"error": ...}} message. */
final class RemoteStatusException extends Exception {
    final int status;

    RemoteStatusException(int status, String message) {
        super(message);
        this.status = status;
    }
}
