package io.conduit.installer.setup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@code conduit doctor}: whether each application found for this user would load the bridge, and
 * what to do if not. A registration is current when its file is exactly what {@code conduit install}
 * would write now (so a moved installation shows as stale).
 */
public final class Registrations {
    /** One application's state: {@code ok} and, when not, the fix. */
    public record Status(AppInstall app, Path file, boolean ok, String state, String fix) {
    }

    private Registrations() {
    }

    public static List<Status> check(AppDetector detector, Path conduitRoot, String version) {
        List<Status> all = new ArrayList<>();
        InstallPlanner planner = new InstallPlanner(conduitRoot, version);
        List<AppInstall> apps = detector.detect(List.of("houdini", "maya", "nuke"));
        List<Change> plan = planner.userPlan(apps, Installer::read);
        for (AppInstall app : apps) {
            Change change = plan.stream().filter(c -> c.file().startsWith(app.preferences())).findFirst().orElse(null);
            if (change == null) {
                all.add(new Status(app, null, false, "not supported (Houdini " + InstallPlanner.HOUDINI_MIN + " or later)",
                        "use a supported version"));
            } else if (change.changesNothing()) {
                java.nio.file.Path folder = conduitRoot.resolve(app.app());
                boolean resolves = java.nio.file.Files.isDirectory(folder)
                        && java.nio.file.Files.isDirectory(conduitRoot.resolve("python"));
                all.add(resolves ? new Status(app, change.file(), true, "registered", "")
                        : new Status(app, change.file(), false, "registered, but " + folder + " or "
                        + conduitRoot.resolve("python") + " is missing", "reinstall Conduit, then run conduit install"));
            } else if (change.before() == null) {
                all.add(new Status(app, change.file(), false, "not registered", "run conduit install"));
            } else if (app.app().equals("nuke") && MarkedBlock.has(change.before())) {
                all.add(new Status(app, change.file(), false, "registered for another Conduit folder",
                        "run conduit install again from this installation"));
            } else if (app.app().equals("nuke")) {
                all.add(new Status(app, change.file(), false, "not registered", "run conduit install"));
            } else {
                all.add(new Status(app, change.file(), false, "a different " + change.file().getFileName()
                        + " is there (an older install, or not Conduit's)", "run conduit install; if it refuses, the"
                        + " file is not Conduit's: move it aside"));
            }
        }
        return all;
    }
}
