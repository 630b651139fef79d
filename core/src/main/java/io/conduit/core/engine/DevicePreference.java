package io.conduit.core.engine;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.util.Locale;

/**
 * What the caller asks for: {@code auto} lets Conduit pick the best device it can use, {@code gpu}
 * insists on a GPU and fails clearly without one, {@code cpu} stays on the processor.
 */
public enum DevicePreference {
    AUTO, GPU, CPU;

    public static DevicePreference parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConduitException(ErrorCode.USAGE, "device \"" + text + "\" is not one of auto, gpu, cpu");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
