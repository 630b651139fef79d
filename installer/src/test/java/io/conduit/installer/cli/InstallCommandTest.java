package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit install / uninstall from the command line: dry run, user scope, studio scope. */
class InstallCommandTest {
    @TempDir
    Path dir;

    @Test
    void dryRunShowsTheDiffAndWritesNothingThenInstallAndUninstallRoundTrip() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("houdini20.5"));
        Files.createDirectories(home.resolve(".nuke"));
        Path root = dir.resolve("conduit");
        CliRunner dry = CliRunner.run("install", "--home", home.toString(), "--root", root.toString(), "--dry-run");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.out().contains("+++ " + home.resolve("houdini20.5/packages/conduit.json")), dry.out());
        assertTrue(dry.out().contains("+  \"path\": \"$CONDUIT_HOUDINI\""), dry.out());
        assertTrue(dry.out().contains("(dry run: nothing was written)"));
        assertFalse(Files.exists(home.resolve("houdini20.5/packages")));

        CliRunner install = CliRunner.run("install", "--home", home.toString(), "--root", root.toString(), "--apps",
                "houdini,nuke");
        assertEquals(0, install.status(), install.err());
        assertTrue(Files.isRegularFile(home.resolve("houdini20.5/packages/conduit.json")));
        assertTrue(Files.readString(home.resolve(".nuke/init.py")).contains(root.resolve("nuke").toString()));
        CliRunner uninstall = CliRunner.run("uninstall", "--home", home.toString());
        assertEquals(0, uninstall.status(), uninstall.err());
        assertFalse(Files.exists(home.resolve("houdini20.5/packages")));
        assertFalse(Files.exists(home.resolve(".nuke/init.py")));
        assertFalse(Files.exists(home.resolve(".conduit")));
    }

    @Test
    void studioScopeWritesSharedFilesAndTheLaunchersEnvironment() throws Exception {
        Path studio = dir.resolve("studio/pipeline");
        Path root = dir.resolve("conduit");
        CliRunner install = CliRunner.run("install", "--scope", "studio", studio.toString(), "--root", root.toString());
        assertEquals(0, install.status(), install.err());
        String env = Files.readString(studio.resolve("conduit-env.sh"));
        assertTrue(env.contains("export HOUDINI_PACKAGE_DIR=\"" + studio.resolve("houdini/packages")), env);
        assertTrue(env.contains("export MAYA_MODULE_PATH=\"" + studio.resolve("maya/modules")), env);
        assertTrue(env.contains("export NUKE_PATH=\"" + root.resolve("nuke")), env);
        assertTrue(install.out().contains("source " + studio.resolve("conduit-env.sh")), install.out());
        assertTrue(Files.isRegularFile(studio.resolve("maya/modules/conduit.mod")));
        CliRunner bad = CliRunner.run("install", "--scope", "studio");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--scope studio needs the shared folder"), bad.err());
        assertEquals(0, CliRunner.run("uninstall", "--scope", "studio", studio.toString()).status());
        assertFalse(Files.exists(studio));
    }
}
