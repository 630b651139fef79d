package io.conduit.core;

import java.util.Objects;

/**
 * The root of every error Conduit raises on purpose. It carries an {@link ErrorCode} so that the
 * CLI can pick an exit status, the server an HTTP status, and a user a page of the troubleshooting
 * guide, without anyone parsing the message.
 */
public class ConduitException extends RuntimeException {
    private final ErrorCode code;

    public ConduitException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ConduitException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** The message with its search code, as the CLI prints it: {@code [CDT-...] message}. */
    public String describe() {
        return "[" + code.searchCode() + "] " + getMessage();
    }
}
