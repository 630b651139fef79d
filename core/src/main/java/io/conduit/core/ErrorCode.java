package io.conduit.core;

/**
 * Every failure Conduit reports, with the code a user can search for in {@code docs/errors.md},
 * the CLI exit status it maps to and the HTTP status the server answers with. One table keeps the
 * CLI, the server and the bridges telling the same story about the same failure.
 */
public enum ErrorCode {
    USAGE("CDT-USAGE", 2, 400),
    FILE_NOT_FOUND("CDT-FILE-NOT-FOUND", 3, 404),
    MANIFEST_INVALID("CDT-MANIFEST-INVALID", 4, 400),
    PACKAGE_INTEGRITY("CDT-PACKAGE-INTEGRITY", 5, 400),
    MODEL_CORRUPT("CDT-MODEL-CORRUPT", 6, 400),
    INPUT_INVALID("CDT-INPUT-INVALID", 7, 400),
    FILE_FORMAT("CDT-FILE-FORMAT", 8, 400),
    DEVICE_UNAVAILABLE("CDT-DEVICE-UNAVAILABLE", 9, 503),
    INFERENCE_FAILED("CDT-INFERENCE-FAILED", 10, 500),
    IO_ERROR("CDT-IO", 11, 500),
    PROTOCOL("CDT-PROTOCOL", 12, 400),
    MODEL_NOT_FOUND("CDT-MODEL-NOT-FOUND", 13, 404),
    REMOTE_UNAVAILABLE("CDT-REMOTE-UNAVAILABLE", 14, 503),
    DEADLINE_EXCEEDED("CDT-DEADLINE", 15, 504),
    UNAUTHORIZED("CDT-UNAUTHORIZED", 16, 401),
    OVERLOADED("CDT-OVERLOADED", 17, 503),
    NO_ROUTE("CDT-NO-ROUTE", 18, 503),
    REQUEST_TOO_LARGE("CDT-TOO-LARGE", 19, 413),
    METHOD_NOT_ALLOWED("CDT-METHOD", 20, 405),
    VERSION_EXISTS("CDT-VERSION-EXISTS", 21, 409),
    MODEL_UNSUPPORTED("CDT-MODEL-UNSUPPORTED", 22, 400),
    PACKAGE_MISMATCH("CDT-PACKAGE-MISMATCH", 23, 409),
    FORBIDDEN("CDT-FORBIDDEN", 24, 403),
    REMOTE_ANSWER("CDT-REMOTE-ANSWER", 25, 502),
    RATE_LIMITED("CDT-RATE-LIMITED", 26, 429),
    MODEL_NOT_READY("CDT-MODEL-NOT-READY", 27, 503),
    INTERNAL("CDT-INTERNAL", 1, 500);

    private final String searchCode;
    private final int exitStatus;
    private final int httpStatus;

    ErrorCode(String searchCode, int exitStatus, int httpStatus) {
        this.searchCode = searchCode;
        this.exitStatus = exitStatus;
        this.httpStatus = httpStatus;
    }

    /** The code printed with every error, e.g. {@code CDT-MANIFEST-INVALID}. */
    public String searchCode() {
        return searchCode;
    }

    /** The process exit status the {@code conduit} command ends with for this failure. */
    public int exitStatus() {
        return exitStatus;
    }

    /** The HTTP status the server answers with for this failure. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code whose {@link #searchCode()} is {@code searchCode}, or {@link #INTERNAL} for an unknown one. */
    public static ErrorCode bySearchCode(String searchCode) {
        for (ErrorCode code : values()) {
            if (code.searchCode.equals(searchCode)) {
                return code;
            }
        }
        return INTERNAL;
    }

    /** Where the troubleshooting guide explains this failure. */
    public String helpAnchor() {
        return "docs/errors.md#" + searchCode.toLowerCase(java.util.Locale.ROOT);
    }
}
