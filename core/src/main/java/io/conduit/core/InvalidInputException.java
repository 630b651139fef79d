package io.conduit.core;

/**
 * The tensors given to a model do not fit its signature: an unknown input name, a missing input, the wrong datatype or the wrong shape. The message names the input, what was expected and what was given.
 */
public class InvalidInputException extends ConduitException {
    public InvalidInputException(String message) {
        super(ErrorCode.INPUT_INVALID, message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(ErrorCode.INPUT_INVALID, message, cause);
    }
}
