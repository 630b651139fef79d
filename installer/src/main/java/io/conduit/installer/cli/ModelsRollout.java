package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.registry.RolloutRule;
import io.conduit.core.registry.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit models rollout}: see its {@code description}. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Sets who gets which version: a rule for the studio, a show, a department or a user,"
                + " pointing at a version or an alias. An empty TARGET (\"\") removes the rule.",
                "Narrower rules win: user > department > show > studio."})
final class ModelsRollout extends ModelsSubcommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "TARGET", description = "A version or an alias.")
    String target;

    @Option(names = "--show", description = "A rule for every artist on this show.")
    String show;

    @Option(names = {"--dept", "--department"}, description = "A rule for every artist in this department.")
    String department;

    @Option(names = "--user", description = "A rule for this one artist (trying a version).")
    String user;

    @Option(names = "--studio", description = "A studio-wide rule.")
    boolean studio;

    @Override
    public Integer call() {
        int given = (show != null ? 1 : 0) + (department != null ? 1 : 0) + (user != null ? 1 : 0) + (studio ? 1 : 0);
        if (given != 1) {
            throw new ConduitException(ErrorCode.USAGE, "give exactly one of --studio, --show S, --dept D, --user U");
        }
        RolloutRule rule = studio ? new RolloutRule(Scope.STUDIO, "", target)
                : show != null ? new RolloutRule(Scope.SHOW, show, target)
                : department != null ? new RolloutRule(Scope.DEPARTMENT, department, target)
                : new RolloutRule(Scope.USER, user, target);
        registry.open().setRule(name, rule);
        out().println(name + ": " + (target.isEmpty() ? "removed the " + rule.scope().jsonName() + " rule"
                : rule.describe()));
        return 0;
    }
}
