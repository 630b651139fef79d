package io.conduit.core;

/**
 * The device the caller insisted on ({@code gpu}) cannot run the model here, for the reason given.
 * The reason is a field of its own, so the {@code auto} policy can list it among the routes it refused
 * and the CLI can say which setting asked for the device, without taking the message apart.
 */
public class DeviceUnavailableException extends ConduitException {
    private final String device;
    private final String reason;

    /** {@code device gpu was requested but <reason>}. */
    public DeviceUnavailableException(String device, String reason) {
        this(device, reason, null);
    }

    public DeviceUnavailableException(String device, String reason, Throwable cause) {
        super(ErrorCode.DEVICE_UNAVAILABLE, "device " + device + " was requested but " + reason, cause);
        this.device = device;
        this.reason = reason;
    }

    /** The same refusal, saying where the request for the device came from (a flag, a variable, a file). */
    public DeviceUnavailableException(DeviceUnavailableException refused, String source) {
        super(ErrorCode.DEVICE_UNAVAILABLE, "device " + refused.device + " was requested (by " + source + ") but "
                + refused.reason, refused);
        this.device = refused.device;
        this.reason = refused.reason;
    }

    public String device() {
        return device;
    }

    /** Why the device cannot run the model, without who asked for it. */
    public String reason() {
        return reason;
    }
}
