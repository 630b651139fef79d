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
        assertEquals(root + "|" + root.resolve("nuke") + ":/studio/nuke|" + root.resolve("nuke"),
                shell("bash", "export NUKE_PATH=/studio/nuke; source '" + studio.resolve("conduit-env.sh") + "'; a=$NUKE_PATH;"
                        + " unset NUKE_PATH; source '" + studio.resolve("conduit-env.sh") + "'; echo \"$CONDUIT_ROOT|$a|$NUKE_PATH\""),
                "prepends to what the studio set, and adds no empty entry when it set nothing");
        assertTrue(Files.readString(studio.resolve("conduit-env.csh")).contains("setenv NUKE_PATH \"" + root.resolve("nuke")
                + ":${NUKE_PATH}\""));
        assertTrue(Files.readString(studio.resolve("conduit-env.cmd")).contains("if defined NUKE_PATH (set \"NUKE_PATH="
                + root.resolve("nuke") + ";%NUKE_PATH%\")"));
        assertTrue(Files.readString(studio.resolve("conduit-env.ps1")).contains("$env:CONDUIT_ROOT = '" + root + "'"));
        Path rez = studio.resolve("rez/conduit/0.1.0/package.py");
        assertEquals("CONDUIT_ROOT=" + root + " NUKE_PATH+=" + root.resolve("nuke"), shell("python3", "-c",
                "out = []\n"
                        + "class V:\n def __init__(s, n): s.n = n\n def prepend(s, v): out.append(s.n + '+=' + v)\n"
                        + "class E:\n def __getattr__(s, n): return V(n)\n def __setattr__(s, n, v): out.append(n + '=' + v)\n"
                        + "g = {'env': E()}\nexec(open(r'" + rez + "').read(), g)\ng['commands']()\n"
                        + "print(' '.join(x for x in out if x.startswith(('CONDUIT_ROOT', 'NUKE_PATH'))))"),
                "a Rez package.py whose commands() sets the same environment");
        CliRunner bad = CliRunner.run("install", "--scope", "studio");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--scope studio needs the shared folder"), bad.err());
        assertEquals(0, CliRunner.run("uninstall", "--scope", "studio", studio.toString()).status());
        assertFalse(Files.exists(studio));
    }

    private static String shell(String... command) throws Exception {
        Process process = new ProcessBuilder(command.length == 2 ? new String[] {command[0], "-c", command[1]} : command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
