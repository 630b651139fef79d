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
 */
public final class AppDetector {
    private static final Pattern HOUDINI_VERSION = Pattern.compile("houdini(\\d+\\.\\d+)");
    private static final Pattern BARE_VERSION = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern MAYA_VERSION = Pattern.compile("\\d{4}(\\.\\d+)?");

    private final Map<String, String> env;
    private final String os;
    private final Path home;

    /** {@code os} is a {@code os.name} value ("Linux", "Mac OS X", "Windows 11"). */
    public AppDetector(Map<String, String> env, String os, Path home) {
        this.env = env;
        this.os = os.toLowerCase(Locale.ROOT);
        this.home = home;
    }

    public static AppDetector forThisMachine() {
        Map<String, String> env = System.getenv();
        String home = env.getOrDefault("HOME", env.getOrDefault("USERPROFILE", System.getProperty("user.home")));
        return new AppDetector(env, System.getProperty("os.name"), Path.of(home));
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
            return listed(base, name -> BARE_VERSION.matcher(name).matches() ? name : null).stream()
                    .map(v -> new AppInstall("houdini", v, base.resolve(v))).toList();
        }
        Path base = windows() ? home.resolve("Documents") : home;
        return listed(base, name -> {
            Matcher m = HOUDINI_VERSION.matcher(name);
            return m.matches() ? m.group(1) : null;
        }).stream().map(v -> new AppInstall("houdini", v, base.resolve("houdini" + v))).toList();
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
                : windows() ? home.resolve("Documents/maya") : home.resolve("maya");
        List<String> versions = listed(base, name -> MAYA_VERSION.matcher(name).matches() ? name : null);
        if (versions.isEmpty()) {
            return List.of();
        }
        // One module file serves every version: it sits in the versionless modules folder.
        return List.of(new AppInstall("maya", String.join(",", versions), base));
    }

    List<AppInstall> nuke() {
        Path dotNuke = home.resolve(".nuke");
        return Files.isDirectory(dotNuke) ? List.of(new AppInstall("nuke", "any", dotNuke)) : List.of();
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
