package io.conduit.installer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conduit version}: the same line as {@code conduit --version}, for those who type it as git and kubectl take it. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints Conduit's version (as --version does).")
final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getParent().printVersionHelp(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }
}
