package io.conduit.core.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * The process's one ONNX Runtime environment, made with the log level Conduit wants: ONNX Runtime's
 * native logger writes straight to stderr (with colour codes on Linux) where Java cannot catch it, so its
 * warnings about models that run fine ("removing initializer ...") are left out unless asked for with
 * {@code conduit -v} (system property {@value #LEVEL_PROPERTY} = {@code WARNING}); errors always show.
 */
public final class OrtEnv {
    public static final String LEVEL_PROPERTY = "conduit.ortLogLevel";

    private OrtEnv() {
    }

    public static OrtEnvironment get() {
        OrtLoggingLevel level = switch (System.getProperty(LEVEL_PROPERTY, "ERROR")) {
            case "VERBOSE" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE;
            case "INFO" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO;
            case "WARNING" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
            case "FATAL" -> OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            default -> OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        };
        return OrtEnvironment.getEnvironment(level, "conduit");
    }
}
