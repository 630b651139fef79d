package io.conduit.core.io.exr;

/**
 * A chunk's compressed data do not decode; the reader adds which file and chunk before reporting
 * it as a file-format error.
 */
final class ChunkDataException extends RuntimeException {
    ChunkDataException(String message) {
        super(message);
    }
}
