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
                ModelsDiff.class, ModelsExportTriton.class, ModelsGc.class, ModelsYank.class, ModelsSign.class})
final class ModelsCommand implements Runnable {
    /**
     * Which of the shared registry options each subcommand uses (all take --registry and --json); help
     * shows a subcommand only its own. Keygen touches no registry; reads and rule edits need only its
     * location; publishing and signing add the signing key; pulling and verifying add trust and the cache.
     */
    private static final java.util.Map<String, java.util.Set<String>> REGISTRY_OPTIONS = java.util.Map.ofEntries(
            java.util.Map.entry("keygen", java.util.Set.of()),
            java.util.Map.entry("publish", java.util.Set.of("--registry", "--signing-key", "--trust-store", "--allow-unsigned")),
            java.util.Map.entry("sign", java.util.Set.of("--registry", "--signing-key", "--trust-store")),
            java.util.Map.entry("pull", java.util.Set.of("--registry", "--trust-store", "--allow-unsigned", "--cache")),
            java.util.Map.entry("verify", java.util.Set.of("--registry", "--trust-store", "--allow-unsigned", "--cache")),
            java.util.Map.entry("test", java.util.Set.of("--registry", "--trust-store", "--allow-unsigned", "--cache")),
            java.util.Map.entry("diff", java.util.Set.of("--registry", "--trust-store", "--allow-unsigned", "--cache")),
            java.util.Map.entry("export-triton", java.util.Set.of("--registry", "--trust-store", "--allow-unsigned", "--cache")));

    private static final java.util.Set<String> SHARED = java.util.Set.of("--registry", "--signing-key", "--trust-store",
            "--allow-unsigned", "--cache");

    /** Removes from each subcommand the shared registry options it does not use (only --registry by default). */
    static void pruneOptions(picocli.CommandLine models) {
        models.getSubcommands().forEach((name, sub) -> {
            java.util.Set<String> keep = REGISTRY_OPTIONS.getOrDefault(name, java.util.Set.of("--registry"));
            for (picocli.CommandLine.Model.OptionSpec option : java.util.List.copyOf(sub.getCommandSpec().options())) {
                if (SHARED.contains(option.longestName()) && !keep.contains(option.longestName())) {
                    sub.getCommandSpec().remove(option);
                }
            }
        });
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
