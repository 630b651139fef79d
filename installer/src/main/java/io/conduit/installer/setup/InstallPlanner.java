package io.conduit.installer.setup;

import io.conduit.bridge.houdini.HoudiniPackage;
import io.conduit.bridge.maya.MayaModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the files {@code conduit install} writes, through each application's own discovery:
 * a Houdini package JSON in each user preference folder's {@code packages} (or the studio's), a Maya
 * {@code .mod} in the modules folder, and for Nuke the one edit that has no alternative for a single
 * user, a marker block in {@code ~/.nuke/init.py} adding Conduit's folder to the plug-in path. A studio
 * install writes into a shared folder instead and an environment file for the launcher. It reads only.
 */
public final class InstallPlanner {
    /** The oldest Houdini whose package files Conduit's uses (load_package_once, env methods). */
    static final double HOUDINI_MIN = 19.0;

    private final Path conduitRoot;
    private final String version;
    private final List<String> notes = new ArrayList<>();

    public InstallPlanner(Path conduitRoot, String version) {
        this.conduitRoot = conduitRoot.toAbsolutePath().normalize();
        this.version = version;
    }

    /** Versions skipped and why, after a plan. */
    public List<String> notes() {
        return notes;
    }

    public List<Change> userPlan(List<AppInstall> apps, FileState files) {
        List<Change> changes = new ArrayList<>();
        for (AppInstall app : apps) {
            switch (app.app()) {
                case "houdini" -> {
                    if (!app.version().equals("any") && Double.parseDouble(app.version()) < HOUDINI_MIN) {
                        notes.add("Houdini " + app.version() + " is not supported (" + HOUDINI_MIN + " or later); skipped");
                        continue;
                    }
                    Path file = app.preferences().resolve("packages").resolve(HoudiniPackage.FILE_NAME);
                    changes.add(new Change(file, files.read(file), HoudiniPackage.render(conduitRoot, version),
                            "Houdini " + app.version() + " package"));
                }
                case "maya" -> {
                    Path file = app.preferences().resolve("modules").resolve(MayaModule.FILE_NAME);
                    changes.add(new Change(file, files.read(file), MayaModule.render(conduitRoot, version),
                            "Maya module (" + app.version() + ")"));
                }
                default -> {
                    Path file = app.preferences().resolve("init.py");
                    String before = files.read(file);
                    changes.add(new Change(file, before, MarkedBlock.add(before == null ? "" : before, nukeBlock()),
                            "Nuke: Conduit's folder on the plug-in path", true));
                }
            }
        }
        return changes;
    }

    public List<Change> studioPlan(List<String> apps, Path studio, FileState files) {
        List<Change> changes = new ArrayList<>();
        StudioEnvironment env = new StudioEnvironment(conduitRoot, version);
        if (apps.contains("houdini")) {
            Path file = studio.resolve("houdini/packages").resolve(HoudiniPackage.FILE_NAME);
            changes.add(new Change(file, files.read(file), HoudiniPackage.render(conduitRoot, version), "Houdini package"));
            env.prepend("HOUDINI_PACKAGE_DIR", file.getParent());
        }
        if (apps.contains("maya")) {
            Path file = studio.resolve("maya/modules").resolve(MayaModule.FILE_NAME);
            changes.add(new Change(file, files.read(file), MayaModule.render(conduitRoot, version), "Maya module"));
            env.prepend("MAYA_MODULE_PATH", file.getParent());
        }
        if (apps.contains("nuke")) {
            env.prepend("NUKE_PATH", conduitRoot.resolve("nuke"));
        }
        env.files().forEach((name, text) -> {
            Path file = studio.resolve(name);
            changes.add(new Change(file, files.read(file), text, "environment for the studio launcher (" + name + ")"));
        });
        return changes;
    }

    private String nukeBlock() {
        String folder = conduitRoot.resolve("nuke").toString().replace("\\", "/");
        return "import nuke\nnuke.pluginAddPath(\"" + folder.replace("\"", "\\\"") + "\")";
    }

    /** How the planner reads a file's current text (null when absent). */
    @FunctionalInterface
    public interface FileState {
        String read(Path file);
    }
}
