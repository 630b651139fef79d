package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.SemVer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every {@code conduit models} subcommand shares: the registry options, --json, and where to print. */
abstract class ModelsSubcommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A {@code NAME@VERSION} argument, split and checked. */
    record Coordinate(String name, SemVer version) {
    }

    static Coordinate coordinate(String text) {
        int at = text.lastIndexOf('@');
        if (at <= 0) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + text + "\" is not NAME@VERSION");
        }
        return new Coordinate(text.substring(0, at), version(text.substring(at + 1)));
    }

    static SemVer version(String text) {
        try {
            return SemVer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, e.getMessage());
        }
    }
}
