package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.TensorSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --input NAME=FILE} and {@code --output NAME=FILE} arguments against a model's
 * tensor names. A bare {@code FILE} is accepted when the model has exactly one such tensor.
 */
final class FileBindings {
    private FileBindings() {
    }

    /** Binds the arguments to the tensors a manifest declares ({@code manifest.inputs()} or {@code outputs()}). */
    static Map<String, Path> parse(List<String> arguments, List<TensorSpec> tensors, String kind) {
        if (tensors.isEmpty() && !arguments.isEmpty()) {
            throw new ConduitException(ErrorCode.USAGE, "the model takes no " + kind + "s; drop --" + kind + " "
                    + String.join(" --" + kind + " ", arguments));
        }
        List<String> tensorNames = tensors.stream().map(TensorSpec::name).toList();
        Map<String, Path> bound = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            String name;
            String file;
            if (eq > 0 && tensorNames.contains(argument.substring(0, eq))) {
                name = argument.substring(0, eq);
                file = argument.substring(eq + 1);
            } else if (eq > 0 && !argument.substring(0, eq).contains("/") && !argument.substring(0, eq).contains(".")) {
                throw new ConduitException(ErrorCode.INPUT_INVALID, "unknown " + kind + " \"" + argument.substring(0, eq)
                        + "\"; expected one of " + tensorNames);
            } else if (tensorNames.size() == 1) {
                name = tensorNames.get(0);
                file = argument;
            } else {
                throw new ConduitException(ErrorCode.USAGE, "--" + kind + " " + argument + " does not say which " + kind
                        + " it is for; the model has " + tensorNames.size() + " " + kind + "s, so write NAME=FILE with"
                        + " NAME one of " + tensorNames);
            }
            if (bound.put(name, Path.of(file)) != null) {
                throw new ConduitException(ErrorCode.USAGE, kind + " \"" + name + "\" is given twice");
            }
        }
        return bound;
    }
}
