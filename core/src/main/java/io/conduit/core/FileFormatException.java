package io.conduit.core;

/**
 * A data file (.npy, PNG, JPEG) could not be read or written as asked: a corrupt header, an unsupported datatype, Fortran order, or a tensor that cannot become an image.
 */
public class FileFormatException extends ConduitException {
    public FileFormatException(String message) {
        super(ErrorCode.FILE_FORMAT, message);
    }

    public FileFormatException(String message, Throwable cause) {
        super(ErrorCode.FILE_FORMAT, message, cause);
    }
}
