package io.conduit.core.protocol;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;

/**
 * A V2 request or response that does not follow the protocol: malformed JSON, an unknown datatype,
 * binary sizes that do not add up, data that does not fill the declared shape. The message names
 * the tensor and what was wrong; the server answers it with 400.
 */
public class ProtocolException extends ConduitException {
    public ProtocolException(String message) {
        super(ErrorCode.PROTOCOL, message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(ErrorCode.PROTOCOL, message, cause);
    }
}
