package io.conduit.server.grpc;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConduitException} as the status of a gRPC call, the way the HTTP side answers it with the code's
 * HTTP status: a caller's mistake or a busy server keeps its message; a server failure is logged here with
 * its stack trace under an incident id and answered with that id only. Each {@link ErrorCode} maps to the
 * gRPC code a gRPC client acts on (UNAVAILABLE is the one its retry policies retry), and the trailer
 * {@value #CODE_KEY} carries Conduit's searchable code, as the HTTP body's {@code "code"} does.
 */
final class GrpcStatus {
    /** Trailer naming the searchable code, e.g. {@code CDT-MODEL-NOT-FOUND}. */
    static final String CODE_KEY = "conduit-error-code";
    private static final Metadata.Key<String> CODE = Metadata.Key.of(CODE_KEY, Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatus.class);

    private GrpcStatus() {
    }

    /** The gRPC code for {@code code}; every code is named, so a new one cannot slip through as UNKNOWN. */
    static Status.Code of(ErrorCode code) {
        return switch (code) {
            case USAGE, MANIFEST_INVALID, PACKAGE_INTEGRITY, MODEL_CORRUPT, INPUT_INVALID, FILE_FORMAT, PROTOCOL,
                 MODEL_UNSUPPORTED -> Status.Code.INVALID_ARGUMENT;
            case FILE_NOT_FOUND, MODEL_NOT_FOUND -> Status.Code.NOT_FOUND;
            case UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case DEVICE_UNAVAILABLE, REMOTE_UNAVAILABLE, OVERLOADED, NO_ROUTE, MODEL_NOT_READY -> Status.Code.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case REQUEST_TOO_LARGE, RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
            case REMOTE_ANSWER -> Status.Code.UNAVAILABLE; // a bad gateway's answer, as gRPC maps HTTP 502
            case METHOD_NOT_ALLOWED -> Status.Code.UNIMPLEMENTED;
            case VERSION_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PACKAGE_MISMATCH -> Status.Code.FAILED_PRECONDITION;
            case INFERENCE_FAILED, IO_ERROR, INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** {@code e} as the exception that ends the call {@code method}. */
    static StatusRuntimeException refusal(ConduitException e, String method) {
        if (e.code().httpStatus() == 500) {
            return internal(e.code(), e, method);
        }
        return of(e.code(), e.getMessage());
    }

    /** Logs {@code failure} with its stack trace and answers {@code code} with an incident id only. */
    static StatusRuntimeException internal(ErrorCode code, Throwable failure, String method) {
        String incident = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
        LOG.error("incident {}: gRPC {} failed", incident, method, failure);
        return of(code, "the server failed to complete this request (incident " + incident
                + "; its log has the details)");
    }

    private static StatusRuntimeException of(ErrorCode code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(CODE, code.searchCode());
        return Status.fromCode(of(code)).withDescription(message).asRuntimeException(trailers);
    }
}
