package io.conduit.core;

/**
 * The device the caller insisted on (`--device gpu`) cannot run the model here, for the reason given.
 */
public class DeviceUnavailableException extends ConduitException {
    public DeviceUnavailableException(String message) {
        super(ErrorCode.DEVICE_UNAVAILABLE, message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(ErrorCode.DEVICE_UNAVAILABLE, message, cause);
    }
}
