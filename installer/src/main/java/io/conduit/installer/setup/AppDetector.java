package io.conduit.installer.setup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the Houdini, Maya and Nuke preference folders of a user, on Linux, macOS and Windows
 * layouts, from the home folder and each application's own variables, so a test or a studio admin
 * can point it anywhere. Pure path logic over an environment map and an OS name; it only lists
 * folders, never writes.
 *
 * <ul>
 *   <li>Houdini: {@code HOUDINI_USER_PREF_DIR} (a {@code __HVER__} in it stands for the version), else
 *       {@code ~/houdiniX.Y} (Linux), {@code ~/Library/Preferences/houdini/X.Y} (macOS),
 *       {@code ~/Documents/houdiniX.Y} (Windows).</li>
 *   <li>Maya: {@code MAYA_APP_DIR}, else {@code ~/maya} (Linux), {@code ~/Library/Preferences/Autodesk/maya}
 *       (macOS), {@code ~/Documents/maya} (Windows); versions are its numbered sub-folders. The module
 *       folder is shared by versions.</li>
 *   <li>Nuke: {@code ~/.nuke} on every OS (Windows: under the user profile).</li>
 * </ul>
 * Installed applications count too, even before their first start has made a preference folder:
 * {@code /opt/hfsX.Y.Z}, {@code /usr/autodesk/mayaYYYY}, {@code /usr/local/NukeX.YvZ} (Linux),
 * {@code /Applications/Houdini/HoudiniX.Y.Z}, {@code /Applications/Autodesk/mayaYYYY},
 * {@code /Applications/NukeX.YvZ} (macOS), and under {@code Program Files} on Windows; their
 * registration goes where the preference folder will be.
 */
public final class AppDetector {
    private static final Pattern HOUDINI_VERSION = Pattern.compile("houdini(\\d+\\.\\d+)");
    private static final Pattern BARE_VERSION = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern MAYA_VERSION = Pattern.compile("\\d{4}(\\.\\d+)?");

    private static final Pattern HFS = Pattern.compile("(?i)(?:hfs|houdini ?)(\\d+\\.\\d+)(\\.\\d+)?");
    private static final Pattern MAYA_INSTALL = Pattern.compile("(?i)maya(\\d{4})");
    private static final Pattern NUKE_INSTALL = Pattern.compile("Nuke(\\d+\\.\\d+v\\d+)");

    private final Map<String, String> env;
    private final String os;
    private final Path home;
    private final Path systemRoot;

    /** {@code os} is a {@code os.name} value ("Linux", "Mac OS X", "Windows 11"). */
    public AppDetector(Map<String, String> env, String os, Path home) {
        this(env, os, home, null);
    }

    /**
     * As above, with install folders looked for under {@code systemRoot} (the file system's root, or a
     * test's stand-in for it); null looks for none.
     */
    public AppDetector(Map<String, String> env, String os, Path home, Path systemRoot) {
        this.env = env;
        this.os = os.toLowerCase(Locale.ROOT);
        this.home = home;
        this.systemRoot = systemRoot;
    }

    public static AppDetector forThisMachine() {
        Map<String, String> env = System.getenv();
        String home = env.getOrDefault("HOME", env.getOrDefault("USERPROFILE", System.getProperty("user.home")));
        String os = System.getProperty("os.name");
        Path root = os.toLowerCase(Locale.ROOT).startsWith("windows") ? Path.of(env.getOrDefault("SystemDrive", "C:") + "\\")
                : Path.of("/");
        return new AppDetector(env, os, Path.of(home), root);
    }

    public boolean windows() {
        return os.startsWith("windows");
    }

    public boolean mac() {
        return os.startsWith("mac");
    }

    public Path home() {
        return home;
    }

    public List<AppInstall> detect(List<String> apps) {
        List<AppInstall> found = new ArrayList<>();
        if (apps.contains("houdini")) {
            found.addAll(houdini());
        }
        if (apps.contains("maya")) {
            found.addAll(maya());
        }
        if (apps.contains("nuke")) {
            found.addAll(nuke());
        }
        return found;
    }

    List<AppInstall> houdini() {
        String override = env.get("HOUDINI_USER_PREF_DIR");
        if (override != null && !override.isBlank()) {
            if (!override.contains("__HVER__")) {
                return List.of(new AppInstall("houdini", "any", Path.of(override)));
            }
            Path parent = Path.of(override.replace("__HVER__", "X")).getParent();
            String template = Path.of(override).getFileName().toString();
            return listed(parent, name -> versionFrom(template, name)).stream()
                    .map(v -> new AppInstall("houdini", v, parent.resolve(template.replace("__HVER__", v)))).toList();
        }
        if (mac()) {
            Path base = home.resolve("Library/Preferences/houdini");
            java.util.TreeSet<String> versions = new java.util.TreeSet<>(
                    listed(base, name -> BARE_VERSION.matcher(name).matches() ? name : null));
            versions.addAll(installed(HFS, "Applications/Houdini"));
            return versions.stream().map(v -> new AppInstall("houdini", v, base.resolve(v))).toList();
        }
        // Windows: %HOME%\houdiniX.Y when HOME is set, else %USERPROFILE%\Documents\houdiniX.Y (DCC_API.md 4.14).
        Path base = windows() ? (env.containsKey("HOME") ? home : profile().resolve("Documents")) : home;
        java.util.TreeSet<String> versions = new java.util.TreeSet<>(listed(base, name -> {
            Matcher m = HOUDINI_VERSION.matcher(name);
            return m.matches() ? m.group(1) : null;
        }));
        versions.addAll(installed(HFS, windows() ? "Program Files/Side Effects Software" : "opt"));
        return versions.stream().map(v -> new AppInstall("houdini", v, base.resolve("houdini" + v))).toList();
    }

    /** Versions installed under {@code folder} of the system root whose names match {@code pattern}'s group 1. */
    private List<String> installed(Pattern pattern, String folder) {
        if (systemRoot == null) {
            return List.of();
        }
        return listed(systemRoot.resolve(folder), name -> {
            Matcher m = pattern.matcher(name);
            return m.matches() ? m.group(1) : null;
        });
    }

    private static String versionFrom(String template, String name) {
        String regex = Pattern.quote(template).replace("__HVER__", "\\E(\\d+\\.\\d+)\\Q");
        Matcher m = Pattern.compile(regex).matcher(name);
        return m.matches() ? m.group(1) : null;
    }

    List<AppInstall> maya() {
        String override = env.get("MAYA_APP_DIR");
        Path base = override != null && !override.isBlank() ? Path.of(override)
                : mac() ? home.resolve("Library/Preferences/Autodesk/maya")
                : windows() ? profile().resolve("Documents").resolve("maya") : home.resolve("maya");
        java.util.TreeSet<String> found = new java.util.TreeSet<>(
                listed(base, name -> MAYA_VERSION.matcher(name).matches() ? name : null));
        found.addAll(installed(MAYA_INSTALL, mac() ? "Applications/Autodesk" : windows() ? "Program Files/Autodesk"
                : "usr/autodesk"));
        List<String> versions = List.copyOf(found);
        if (versions.isEmpty()) {
            return List.of();
        }
        // One module file serves every version: it sits in the versionless modules folder.
        return List.of(new AppInstall("maya", String.join(",", versions), base));
    }

    /** Windows' user profile folder ({@code %USERPROFILE%}), which Maya and Houdini use whatever HOME says. */
    private Path profile() {
        String profile = env.get("USERPROFILE");
        return profile != null && !profile.isBlank() ? Path.of(profile) : home;
    }

    List<AppInstall> nuke() {
        // Windows: %HOME%\.nuke when HOME is set, else %USERPROFILE%\.nuke (DCC_API.md 4.14).
        Path dotNuke = (windows() && !env.containsKey("HOME") ? profile() : home).resolve(".nuke");
        boolean installed = !installed(NUKE_INSTALL, mac() ? "Applications" : windows() ? "Program Files"
                : "usr/local").isEmpty();
        return Files.isDirectory(dotNuke) || installed ? List.of(new AppInstall("nuke", "any", dotNuke)) : List.of();
    }

    private static List<String> listed(Path folder, java.util.function.Function<String, String> version) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).map(p -> version.apply(p.getFileName().toString()))
                    .filter(v -> v != null).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
