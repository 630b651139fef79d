package io.conduit.core.engine;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.util.Locale;

/**
 * What the caller asks for: {@code auto} lets Conduit pick the best route it can use (local GPU,
 * then the remote service, then the CPU), {@code gpu} insists on a local GPU and fails clearly
 * without one, {@code cpu} stays on the processor, {@code remote} sends the work to the service.
 */
public enum DevicePreference {
    AUTO, GPU, CPU, REMOTE;

    public static DevicePreference parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConduitException(ErrorCode.USAGE, "device \"" + text + "\" is not one of auto, gpu, cpu, remote");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
