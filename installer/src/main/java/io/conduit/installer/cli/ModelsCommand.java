package io.conduit.installer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code conduit models ...}: publishing models to the registry, and who gets which version. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Publishes models to the registry and manages which version each show, department and user gets.",
        subcommands = {ModelsPublish.class, ModelsList.class, ModelsShow.class,
                ModelsPull.class, ModelsAlias.class, ModelsRollout.class, ModelsRules.class,
                ModelsResolve.class, ModelsKeygen.class, ModelsVerify.class,
                ModelsLineage.class, ModelsForAsset.class, ModelsTest.class,
                ModelsDiff.class, ModelsExportTriton.class, ModelsGc.class})
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
