package io.conduit.core.engine.remote;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;

/**
 * A service's answer is not one the model can give: an output the manifest does not declare, a datatype
 * or fixed axis that differs, a batch axis other than the inputs', a dynamic axis beyond what the inputs
 * allow, or a body larger than those shapes imply. Refused as soon as it is seen, before the rest is read,
 * so a broken or hostile service can neither fill the client's memory nor put a wrong result in a file.
 */
public class RemoteAnswerException extends ConduitException {
    public RemoteAnswerException(String message) {
        super(ErrorCode.REMOTE_ANSWER, message);
    }
}
