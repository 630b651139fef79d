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

    /**
     * {@code NAME@VERSION} or {@code NAME@ALIAS} (as {@code conduit run} takes it): an alias is looked up
     * in the registry, and an unknown one is refused with the aliases that exist.
     */
    static Coordinate coordinate(String text, io.conduit.core.registry.Registry registry) {
        int at = text.lastIndexOf('@');
        if (at <= 0) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + text + "\" is not NAME@VERSION or NAME@ALIAS");
        }
        String name = text.substring(0, at);
        String target = text.substring(at + 1);
        if (Character.isDigit(target.isEmpty() ? 'x' : target.charAt(0))) {
            return new Coordinate(name, version(target));
        }
        java.util.Map<String, SemVer> aliases = registry.aliases(name);
        SemVer version = aliases.get(target);
        if (version == null) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, name + " has no alias \"" + target + "\" in "
                    + registry.describe() + "; its aliases: " + (aliases.isEmpty() ? "none" : aliases.keySet()));
        }
        return new Coordinate(name, version);
    }

    static SemVer version(String text) {
        try {
            return SemVer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, e.getMessage());
        }
    }
}
