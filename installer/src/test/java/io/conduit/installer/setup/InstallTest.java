package io.conduit.installer.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install, install again, uninstall, on fake home folders of each OS layout with several versions,
 * paths with spaces and dots, and the user's own files in every place the installer touches.
 */
class InstallTest {
    private static final List<String> ALL = List.of("houdini", "maya", "nuke");

    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("opt/conduit-0.1");
    }

    /** Every file and folder under {@code tree}, with the files' bytes. */
    private static Map<String, String> snapshot(Path tree) throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.toList()) {
                all.put(tree.relativize(p).toString(), Files.isDirectory(p) ? "<dir>"
                        : java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return all;
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Path linuxHome() throws Exception {
        Path home = dir.resolve("home/Jane Doe.v2");
        Files.createDirectories(home.resolve("houdini17.5"));
        write(home.resolve("houdini19.5/packages/SideFXLabs.json"), "{\"path\": \"/opt/labs\"}\n");
        Files.createDirectories(home.resolve("houdini20.5"));
        Files.createDirectories(home.resolve("maya/2024/prefs"));
        Files.createDirectories(home.resolve("maya/2025"));
        write(home.resolve("maya/modules/mgear.mod"), "+ mGear 4.0 /opt/mgear\n");
        write(home.resolve(".nuke/init.py"), "# Jane's own start-up\r\nimport nuke\r\nnuke.pluginAddPath('/jobs/tools')\r\n");
        return home;
    }

    private Installer install(AppDetector detector, Path record) {
        InstallPlanner planner = new InstallPlanner(root(), "0.1.0");
        Installer installer = new Installer(record);
        installer.install(planner.userPlan(detector.detect(ALL), Installer::read));
        return installer;
    }

    @Test
    void installTwiceThenUninstallLeavesTheTreeByteIdentical() throws Exception {
        Path home = linuxHome();
        Map<String, String> start = snapshot(dir.resolve("home"));
        AppDetector linux = new AppDetector(Map.of("HOME", home.toString()), "Linux", home);
        Path record = home.resolve(".conduit/install.json");

        Installer first = install(linux, record);
        assertTrue(first.report().contains("created " + home.resolve("houdini19.5/packages/conduit.json")
                + "  (Houdini 19.5 package)"), first.report().toString());
        assertTrue(Files.isRegularFile(home.resolve("houdini20.5/packages/conduit.json")));
        assertFalse(Files.exists(home.resolve("houdini17.5/packages")), "Houdini 17.5 is not supported");
        assertTrue(Installer.read(home.resolve("maya/modules/conduit.mod")).contains(root() + "/maya"));
        String init = Installer.read(home.resolve(".nuke/init.py"));
        assertTrue(init.startsWith("# Jane's own start-up\r\nimport nuke\r\nnuke.pluginAddPath('/jobs/tools')\r\n"));
        assertTrue(init.contains(MarkedBlock.BEGIN) && init.contains(root() + "/nuke"), init);
        Map<String, String> installed = snapshot(dir.resolve("home"));

        Installer second = install(linux, record);
        assertTrue(second.report().stream().allMatch(line -> line.startsWith("unchanged ")), second.report().toString());
        assertEquals(installed, snapshot(dir.resolve("home")), "a second install changes nothing");

        Installer remover = new Installer(record);
        remover.uninstall();
        assertEquals(start, snapshot(dir.resolve("home")), "uninstall restores the tree byte for byte: " + remover.report());
    }

    @Test
    void aForeignFileIsNeverOverwrittenAndAFailedInstallLeavesNothing() throws Exception {
        Path home = linuxHome();
        write(home.resolve("houdini20.5/packages/conduit.json"), "{\"theirs\": true}\n");
        Map<String, String> start = snapshot(dir.resolve("home"));
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        ConduitException refused = assertThrows(ConduitException.class, () -> install(linux, home.resolve(".conduit/i.json")));
        assertTrue(refused.getMessage().contains("exists and is not the file Conduit wrote"), refused.getMessage());
        assertEquals(start, snapshot(dir.resolve("home")));

        Files.delete(home.resolve("houdini20.5/packages/conduit.json"));
        Files.delete(home.resolve("houdini20.5/packages"));
        Files.writeString(home.resolve("houdini20.5/packages"), "a file where a folder belongs");
        Map<String, String> blocked = snapshot(dir.resolve("home"));
        assertThrows(ConduitException.class, () -> install(linux, home.resolve(".conduit/i.json")));
        assertEquals(blocked, snapshot(dir.resolve("home")), "everything written before the failure was rolled back");
    }

    @Test
    void uninstallKeepsWhatTheUserChangedSinceInstall() throws Exception {
        Path home = linuxHome();
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        Path record = home.resolve(".conduit/install.json");
        install(linux, record);
        Path init = home.resolve(".nuke/init.py");
        Files.writeString(init, Installer.read(init) + "nuke.pluginAddPath('/jobs/more')\n");
        Files.writeString(home.resolve("maya/modules/conduit.mod"), "+ Conduit 0.1.0 /elsewhere\n");
        Installer remover = new Installer(record);
        remover.uninstall();
        String after = Installer.read(init);
        assertFalse(after.contains(MarkedBlock.BEGIN));
        assertTrue(after.endsWith("nuke.pluginAddPath('/jobs/more')\n"), after);
        assertTrue(Files.exists(home.resolve("maya/modules/conduit.mod")), "a changed Conduit file is left as theirs");
        assertTrue(remover.report().stream().anyMatch(l -> l.startsWith("left ")), remover.report().toString());
    }

    @Test
    void aReinstallAfterTheUserEditedTheirScriptNeverRestoresTheStaleBackup() throws Exception {
        Path home = linuxHome();
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        Path record = home.resolve(".conduit/install.json");
        install(linux, record);
        Path init = home.resolve(".nuke/init.py");
        Files.writeString(init, Installer.read(init) + "nuke.pluginAddPath('/jobs/later')\n");
        Installer upgrade = new Installer(record);
        upgrade.install(new InstallPlanner(dir.resolve("opt/conduit-0.2"), "0.2.0").userPlan(linux.detect(ALL),
                Installer::read));
        new Installer(record).uninstall();
        String after = Installer.read(init);
        assertTrue(after.contains("nuke.pluginAddPath('/jobs/later')"), "the user's edit survives: " + after);
        assertFalse(after.contains(MarkedBlock.BEGIN));
    }

    @Test
    void aScriptInstallCreatedThatTheUserAddedToLosesOnlyTheBlock() throws Exception {
        Path home = dir.resolve("home/fresh");
        Files.createDirectories(home.resolve(".nuke"));
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        Path record = home.resolve(".conduit/install.json");
        install(linux, record);
        Path init = home.resolve(".nuke/init.py");
        Files.writeString(init, Installer.read(init) + "print('mine')\n");
        new Installer(record).uninstall();
        assertEquals("print('mine')\n", Installer.read(init));
    }

    @Test
    void aSymlinkedScriptStaysALinkAndKeepsItsPermissions() throws Exception {
        Path home = dir.resolve("home/linked");
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Path real = Files.writeString(dotfiles.resolve("nuke-init.py"), "import nuke\n");
        Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(home.resolve(".nuke"));
        Files.createSymbolicLink(home.resolve(".nuke/init.py"), real);
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        Path record = home.resolve(".conduit/install.json");
        install(linux, record);
        assertTrue(Files.isSymbolicLink(home.resolve(".nuke/init.py")), "still a link");
        assertTrue(Files.readString(real).contains(MarkedBlock.BEGIN), "the edit went through the link");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        new Installer(record).uninstall();
        assertTrue(Files.isSymbolicLink(home.resolve(".nuke/init.py")));
        assertEquals("import nuke\n", Files.readString(real), "restored byte for byte through the link");
    }

    @Test
    void macWindowsAndOverrideLayoutsAreFound() throws Exception {
        Path mac = dir.resolve("mac/jane");
        Files.createDirectories(mac.resolve("Library/Preferences/houdini/20.5"));
        Files.createDirectories(mac.resolve("Library/Preferences/Autodesk/maya/2025"));
        Files.createDirectories(mac.resolve(".nuke"));
        assertEquals(List.of("houdini 20.5 (" + mac.resolve("Library/Preferences/houdini/20.5") + ")",
                        "maya 2025 (" + mac.resolve("Library/Preferences/Autodesk/maya") + ")",
                        "nuke any (" + mac.resolve(".nuke") + ")"),
                new AppDetector(Map.of(), "Mac OS X", mac).detect(ALL).stream().map(Object::toString).toList());

        Path win = dir.resolve("win/Users/Jane Doe");
        Files.createDirectories(win.resolve("Documents/houdini19.5"));
        Files.createDirectories(win.resolve("Documents/maya/2024"));
        assertEquals(List.of("houdini 19.5 (" + win.resolve("Documents/houdini19.5") + ")",
                        "maya 2024 (" + win.resolve("Documents/maya") + ")"),
                new AppDetector(Map.of(), "Windows 11", win).detect(ALL).stream().map(Object::toString).toList());

        Path prefs = dir.resolve("studio prefs");
        Files.createDirectories(prefs.resolve("hou.20.0.prefs"));
        Files.createDirectories(dir.resolve("mayaapp/2023"));
        AppDetector overridden = new AppDetector(Map.of("HOUDINI_USER_PREF_DIR", prefs.resolve("hou.__HVER__.prefs").toString(),
                "MAYA_APP_DIR", dir.resolve("mayaapp").toString()), "Linux", dir.resolve("nobody"));
        assertEquals(List.of("houdini 20.0 (" + prefs.resolve("hou.20.0.prefs") + ")",
                        "maya 2023 (" + dir.resolve("mayaapp") + ")"),
                overridden.detect(ALL).stream().map(Object::toString).toList());
    }

    @Test
    void windowsFollowsEachApplicationsOwnRuleForHomeAndUserProfile() throws Exception {
        // DCC_API.md section 4 item 14: Houdini %HOME%\\houdiniX.Y when HOME is set, else under Documents of
        // %USERPROFILE%; Maya always %USERPROFILE%\\Documents\\maya; Nuke %HOME%\\.nuke, else %USERPROFILE%\\.nuke.
        Path profile = dir.resolve("winhome/Users/Jane Doe");
        Path homeVar = dir.resolve("winhome/H/jane");
        Files.createDirectories(homeVar.resolve("houdini20.5"));
        Files.createDirectories(homeVar.resolve(".nuke"));
        Files.createDirectories(profile.resolve("Documents/maya/2025"));
        Files.createDirectories(profile.resolve("Documents/houdini19.5"));
        Files.createDirectories(profile.resolve(".nuke"));
        Map<String, String> withHome = Map.of("HOME", homeVar.toString(), "USERPROFILE", profile.toString());
        assertEquals(List.of("houdini 20.5 (" + homeVar.resolve("houdini20.5") + ")",
                        "maya 2025 (" + profile.resolve("Documents/maya") + ")",
                        "nuke any (" + homeVar.resolve(".nuke") + ")"),
                new AppDetector(withHome, "Windows 10", homeVar).detect(ALL).stream().map(Object::toString).toList());
        Map<String, String> withoutHome = Map.of("USERPROFILE", profile.toString());
        assertEquals(List.of("houdini 19.5 (" + profile.resolve("Documents/houdini19.5") + ")",
                        "maya 2025 (" + profile.resolve("Documents/maya") + ")",
                        "nuke any (" + profile.resolve(".nuke") + ")"),
                new AppDetector(withoutHome, "Windows 10", profile).detect(ALL).stream().map(Object::toString).toList());
    }

    @Test
    void applicationsInstalledButNeverStartedAreFoundAndRegisteredWhereTheirPreferencesWillBe() throws Exception {
        Path system = dir.resolve("system");
        Files.createDirectories(system.resolve("opt/hfs20.0.590"));
        Files.createDirectories(system.resolve("usr/autodesk/maya2025"));
        Files.createDirectories(system.resolve("usr/local/Nuke15.0v1"));
        Path home = Files.createDirectories(dir.resolve("home/new.artist"));
        Map<String, String> start = snapshot(dir.resolve("home"));
        AppDetector linux = new AppDetector(Map.of(), "Linux", home, system);
        assertEquals(List.of("houdini 20.0 (" + home.resolve("houdini20.0") + ")", "maya 2025 (" + home.resolve("maya") + ")",
                "nuke any (" + home.resolve(".nuke") + ")"), linux.detect(ALL).stream().map(Object::toString).toList());
        Path record = home.resolve(".conduit/install.json");
        install(linux, record);
        assertTrue(Files.isRegularFile(home.resolve("houdini20.0/packages/conduit.json")));
        assertTrue(Files.isRegularFile(home.resolve("maya/modules/conduit.mod")));
        assertTrue(Files.isRegularFile(home.resolve(".nuke/init.py")));
        new Installer(record).uninstall();
        assertEquals(start, snapshot(dir.resolve("home")), "the folders install made are gone again");
        Path mac = dir.resolve("macsys");
        Files.createDirectories(mac.resolve("Applications/Houdini/Houdini20.5.278"));
        Files.createDirectories(mac.resolve("Applications/Autodesk/maya2024"));
        assertEquals(List.of("houdini 20.5 (" + home.resolve("Library/Preferences/houdini/20.5") + ")",
                "maya 2024 (" + home.resolve("Library/Preferences/Autodesk/maya") + ")"),
                new AppDetector(Map.of(), "Mac OS X", home, mac).detect(ALL).stream().map(Object::toString).toList());
    }

    @Test
    void doctorSeesWhatIsRegisteredAndWhatToFix() throws Exception {
        Path home = linuxHome();
        AppDetector linux = new AppDetector(Map.of(), "Linux", home);
        List<Registrations.Status> before = Registrations.check(linux, root(), "0.1.0");
        assertEquals(5, before.size(), before.toString());
        assertTrue(before.stream().noneMatch(Registrations.Status::ok));
        assertTrue(before.stream().anyMatch(s -> s.state().startsWith("not supported")), "Houdini 17.5");
        install(linux, home.resolve(".conduit/install.json"));
        List<Registrations.Status> unpacked = Registrations.check(linux, root(), "0.1.0");
        assertTrue(unpacked.stream().anyMatch(s -> s.state().startsWith("registered, but ")), "the folders are not there");
        for (String folder : new String[]{"python", "houdini", "maya", "nuke"}) {
            Files.createDirectories(root().resolve(folder));
        }
        List<Registrations.Status> after = Registrations.check(linux, root(), "0.1.0");
        assertEquals(4, after.stream().filter(Registrations.Status::ok).count(), after.toString());
        List<Registrations.Status> moved = Registrations.check(linux, dir.resolve("elsewhere"), "0.1.0");
        assertTrue(moved.stream().anyMatch(s -> s.state().equals("registered for another Conduit folder")), moved.toString());
    }

    @Test
    void theMarkedBlockComesAndGoesWithoutTouchingTheRest() {
        String mine = "import nuke\nnuke.pluginAddPath('/x')";
        String with = MarkedBlock.add(mine, "A\nB");
        assertEquals(mine + "\n" + MarkedBlock.BEGIN + "\nA\nB\n" + MarkedBlock.END + "\n", with);
        assertEquals(with, MarkedBlock.add(with, "A\nB"), "adding twice changes nothing");
        assertEquals(mine + "\n", MarkedBlock.remove(with));
        assertEquals("", MarkedBlock.remove(MarkedBlock.add("", "A")));
        assertThrows(IllegalArgumentException.class, () -> MarkedBlock.remove(MarkedBlock.BEGIN + "\nA\n"));
    }
}
