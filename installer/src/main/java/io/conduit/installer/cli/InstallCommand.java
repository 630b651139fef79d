package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.bridge.nuke.NukeGizmoFolder;
import io.conduit.core.registry.Registry;
import io.conduit.installer.setup.AppDetector;
import io.conduit.installer.setup.AppInstall;
import io.conduit.installer.setup.Change;
import io.conduit.installer.setup.InstallPlanner;
import io.conduit.installer.setup.Installer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conduit install}: registers the bridges with every Houdini, Maya and Nuke found for this
 * user (or in a studio folder), through each application's own discovery files; idempotent, and
 * undone exactly by {@code conduit uninstall}.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Registers Conduit with Houdini (package JSON), Maya (module file) and Nuke (plug-in path).",
                "--scope user (default) writes into this user's preference folders; --scope studio DIR writes into a"
                        + " shared folder and an environment file (DIR/conduit-env.sh) for the studio's launcher.",
                "Never overwrites a file that is not Conduit's; a user's own script gets a marked block, backed up"
                        + " first. conduit uninstall removes exactly what this added."})
final class InstallCommand implements Callable<Integer> {
    @Option(names = "--apps", split = ",", paramLabel = "APPS", description = "houdini, maya, nuke. Default: all three.")
    List<String> apps = new ArrayList<>(List.of("houdini", "maya", "nuke"));

    @Option(names = "--scope", arity = "1..2", paramLabel = "user|studio DIR", description = "user, or studio DIR.")
    List<String> scope = new ArrayList<>(List.of("user"));

    @Option(names = "--dry-run", description = "Print every file it would create or change, as a diff; write nothing.")
    boolean dryRun;

    @Option(names = "--home", paramLabel = "DIR", description = "Act on this home folder instead of $HOME.")
    Path home;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, description = "The Conduit distribution to register.")
    Path root;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String app : apps) {
            if (!List.of("houdini", "maya", "nuke").contains(app)) {
                throw new ConduitException(ErrorCode.USAGE, "--apps " + app + " is not one of houdini, maya, nuke");
            }
        }
        Target target = Target.of(scope, home);
        InstallPlanner planner = new InstallPlanner(conduitRoot(root), "0.1.0");
        List<Change> changes;
        if (target.studio != null) {
            changes = planner.studioPlan(apps, target.studio, Installer::read);
        } else {
            List<AppInstall> found = target.detector.detect(apps);
            if (found.isEmpty()) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "found none of " + apps + " for this user under "
                        + target.detector.home() + "; start each application once (it creates its preference folder),"
                        + " or set HOUDINI_USER_PREF_DIR / MAYA_APP_DIR");
            }
            changes = planner.userPlan(found, Installer::read);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> notes = new ArrayList<>(planner.notes());
        if (java.nio.file.Files.isRegularFile(conduitRoot(root).resolve(".built"))) {
            notes.add("this registers a source checkout's build folder (" + conduitRoot(root) + "), which ./conduit"
                    + " rebuilds and replaces; artists should get an installed copy: unpack"
                    + " installer/target/conduit-VERSION-dist.tar.gz and run its bin/conduit install");
        }
        Installer installer = new Installer(target.record);
        com.google.gson.JsonObject answer = new com.google.gson.JsonObject();
        com.google.gson.JsonArray noteList = new com.google.gson.JsonArray();
        notes.forEach(noteList::add);
        answer.add("notes", noteList);
        if (!json.enabled) {
            notes.forEach(n -> out.println("note: " + n));
        }
        if (dryRun) {
            installer.check(changes);
            com.google.gson.JsonArray planned = new com.google.gson.JsonArray();
            for (Change c : changes) {
                com.google.gson.JsonObject o = new com.google.gson.JsonObject();
                o.addProperty("file", c.file().toString());
                o.addProperty("unchanged", c.changesNothing());
                o.addProperty("diff", c.changesNothing() ? "" : c.diff());
                planned.add(o);
                if (!json.enabled) {
                    out.print(c.changesNothing() ? "unchanged " + c.file() + "\n" : c.diff());
                }
            }
            answer.add("planned", planned);
            answer.addProperty("dryRun", true);
            if (!json.enabled) {
                out.println("(dry run: nothing was written)");
            }
        } else {
            installer.install(changes);
            List<String> lines = new ArrayList<>(installer.report());
            if (apps.contains("nuke")) {
                lines.add(writeGizmos(conduitRoot(root).resolve("nuke").resolve("gizmos")));
            }
            com.google.gson.JsonArray report = new com.google.gson.JsonArray();
            lines.forEach(report::add);
            answer.add("report", report);
            if (target.studio != null) {
                answer.addProperty("environment", target.studio.resolve("conduit-env.sh").toString());
            }
            if (!json.enabled) {
                lines.forEach(out::println);
                if (target.studio != null) {
                    out.println("Have the studio's launcher source " + target.studio.resolve("conduit-env.sh")
                            + " (conduit-env.csh, .cmd and .ps1 for other shells; a Rez package in "
                            + target.studio.resolve("rez") + "):");
                    out.print(Installer.read(target.studio.resolve("conduit-env.sh")));
                }
            }
        }
        if (json.enabled) {
            json.print(out, answer);
        }
        out.flush();
        return 0;
    }

    /**
     * Nuke's gizmos go into the installed folder now, from the configured registry, so that the first
     * script an artist saves names classes every machine has; without a reachable registry, a note says
     * how to write them later.
     */
    private static String writeGizmos(Path folder) {
        try {
            Registry registry = new RegistryOptions().open();
            if (!registry.reachable()) {
                return "note: Nuke gizmos not written: the registry " + registry.describe() + " is unreachable;"
                        + " run conduit gizmos when it is (or conduit gizmos --models DIR)";
            }
            List<String> classes = new NukeGizmoFolder(folder).write(GizmosCommand.fromRegistry(registry));
            return "Nuke gizmos in " + folder + ": " + (classes.isEmpty() ? "none (no model declares Nuke yet)"
                    : String.join(", ", classes)) + "; after publishing a new major version, run conduit gizmos";
        } catch (ConduitException | java.io.IOException e) {
            return "note: Nuke gizmos not written (" + e.getMessage() + "); run conduit gizmos";
        }
    }

    /** Where the registrations and the install record go. */
    record Target(AppDetector detector, Path studio, Path record) {
        static Target of(List<String> scope, Path home) {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (home != null) {
                env.put("HOME", home.toString());
                env.remove("HOUDINI_USER_PREF_DIR");
                env.remove("MAYA_APP_DIR");
            }
            AppDetector detector = home != null ? new AppDetector(env, System.getProperty("os.name"), home)
                    : AppDetector.forThisMachine();
            if (scope.get(0).equals("studio")) {
                if (scope.size() < 2) {
                    throw new ConduitException(ErrorCode.USAGE, "--scope studio needs the shared folder: --scope studio DIR");
                }
                Path studio = Path.of(scope.get(1)).toAbsolutePath().normalize();
                return new Target(detector, studio, studio.resolve(".conduit-install.json"));
            }
            if (!scope.get(0).equals("user") || scope.size() > 1) {
                throw new ConduitException(ErrorCode.USAGE, "--scope is user, or studio DIR; got " + scope);
            }
            return new Target(detector, null, detector.home().resolve(".conduit").resolve("install.json"));
        }
    }

    static Path conduitRoot(Path root) {
        if (root != null) {
            return root;
        }
        String home = System.getProperty("conduit.home");
        if (home == null) {
            throw new ConduitException(ErrorCode.USAGE, "run conduit install from the distribution (bin/conduit), which"
                    + " knows where it is installed");
        }
        return Path.of(home);
    }
}
