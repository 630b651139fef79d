package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.io.Npy;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After publication: signing without a new version, yanking, and publishing where signatures are required. */
class ModelsLifecycleTest {
    @TempDir
    Path dir;

    private Path initPackage(String version) {
        Path out = dir.resolve("pkg-" + version);
        CliRunner r = CliRunner.run("init", TestModels.onnx("scale_bias.onnx").toString(), "--name", "test-model",
                "--version", version, "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return out;
    }

    @Test
    void publishingUnsignedWarnsOrIsRefusedAndAVersionIsSignedLater() throws Exception {
        String registry = dir.resolve("registry").toString();
        Path pkg = initPackage("1.2.0");
        CliRunner refused = CliRunner.run("models", "publish", pkg.toString(), "--registry", registry, "--require-signed");
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().contains("--require-signed was given but no signing key is set"), refused.err());
        assertTrue(Files.notExists(Path.of(registry, "models", "test-model", "versions", "1.2.0.json")), "nothing published");

        CliRunner published = CliRunner.run("models", "publish", pkg.toString(), "--registry", registry);
        assertEquals(0, published.status(), published.err());
        assertTrue(published.err().contains("warning: test-model@1.2.0 was published unsigned (no registry.signingKey);"
                + " workstations that accept only signed versions"), published.err());

        Path keys = studioKeys();
        Path trust = dir.resolve("trust");
        Path x = input();
        CliRunner before = CliRunner.run("run", "test-model@1.2.0", "-i", x.toString(), "--registry", registry,
                "--cache", dir.resolve("cache").toString(), "--trust-store", trust.toString());
        assertEquals(5, before.status(), "unsigned is refused by a workstation that requires signatures: " + before.err());

        CliRunner signed = CliRunner.run("models", "sign", "test-model@1.2.0", "--registry", registry, "--signing-key",
                keys.toString());
        assertEquals(0, signed.status(), signed.err());
        assertTrue(signed.out().startsWith("signed test-model@1.2.0 with key "), signed.out());
        CliRunner verify = CliRunner.run("models", "verify", "test-model@1.2.0", "--registry", registry, "--trust-store",
                trust.toString());
        assertTrue(verify.out().contains("signature verified; 1 file digest(s) verified"), verify.out() + verify.err());
        CliRunner after = CliRunner.run("run", "test-model@1.2.0", "-i", x.toString(), "--registry", registry,
                "--cache", dir.resolve("cache").toString(), "--trust-store", trust.toString());
        assertEquals(0, after.status(), after.err());
        CliRunner again = CliRunner.run("models", "sign", "test-model@1.2.0", "--registry", registry, "--signing-key",
                keys.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("is already signed by key"), again.err());
    }

    @Test
    void aYankedVersionIsSkippedByResolutionAndPinnedUsersAreWarned() throws Exception {
        String registry = dir.resolve("registry").toString();
        for (String version : new String[]{"1.2.0", "1.3.0"}) {
            CliRunner published = CliRunner.run("models", "publish", initPackage(version).toString(), "--registry", registry);
            assertEquals(0, published.status(), published.err());
        }
        assertEquals("1.3.0", resolved(registry).get("version").getAsString());

        CliRunner noReason = CliRunner.run("models", "yank", "test-model@1.3.0", "--registry", registry);
        assertEquals(2, noReason.status(), "--reason is required");
        CliRunner yank = CliRunner.run("models", "yank", "test-model@1.3.0", "--reason", "trained on the wrong plates",
                "--registry", registry);
        assertEquals(0, yank.status(), yank.err());
        assertTrue(yank.out().contains("test-model@1.3.0 yanked by "), yank.out());

        CliRunner list = CliRunner.run("models", "list", "--registry", registry);
        assertTrue(list.out().contains("  1.3.0  by ") && list.out().contains("YANKED: trained on the wrong plates"),
                list.out());
        assertTrue(list.out().matches("(?s).*  1\\.2\\.0  by \\S+  (unsigned|signed \\(.*\\)).*"), list.out());
        JsonObject r = resolved(registry);
        assertEquals("1.2.0", r.get("version").getAsString(), "resolution skips the yanked version");
        assertTrue(r.get("rule").getAsString().contains("the newest release not yanked"), r.toString());

        assertEquals(0, CliRunner.run("models", "alias", "test-model", "beta", "1.3.0", "--registry", registry).status());
        assertEquals(0, CliRunner.run("models", "rollout", "test-model", "beta", "--show", "ABC", "--registry", registry)
                .status());
        JsonObject onShow = JsonParser.parseString(CliRunner.run("models", "resolve", "test-model", "--show", "ABC",
                "--registry", registry, "--json").out()).getAsJsonObject();
        assertEquals("1.2.0", onShow.get("version").getAsString(), "a rule naming a yanked version is skipped");
        assertTrue(onShow.get("rule").getAsString().contains("which was yanked by"), onShow.toString());

        Path x = input();
        Path y = dir.resolve("y.npy");
        CliRunner pinned = CliRunner.run("run", "test-model@1.3.0", "-i", x.toString(), "-o", y.toString(),
                "--registry", registry, "--cache", dir.resolve("cache").toString(), "--allow-unsigned");
        assertEquals(0, pinned.status(), "nothing is deleted: " + pinned.err());
        assertEquals(9f, Npy.read(y).floats().get(0));
        assertTrue(pinned.err().contains("warning: test-model@1.3.0 was yanked by ")
                && pinned.err().contains(": trained on the wrong plates; unpin it"), pinned.err());

        Files.move(Path.of(registry), dir.resolve("registry-unmounted")); // offline, the kept record still says why
        CliRunner offline = CliRunner.run("run", "test-model@1.3.0", "-i", x.toString(), "-o", y.toString(),
                "--registry", registry, "--cache", dir.resolve("cache").toString(), "--allow-unsigned");
        assertEquals(0, offline.status(), offline.err());
        assertTrue(offline.err().contains("is unreachable; using the cached test-model@1.3.0")
                && offline.err().contains("warning: test-model@1.3.0 was yanked by ")
                && offline.err().contains(": trained on the wrong plates; unpin it once the registry is back"),
                offline.err());
    }

    /** Today both were refused over HTTP with CDT-USAGE ("is done on the registry folder itself"). */
    @Test
    void signAndYankWorkAgainstAnHttpRegistry() throws Exception {
        Path keys = studioKeys();
        Path trust = dir.resolve("trust");
        Path x = input();
        io.conduit.core.engine.local.LocalEngine engine = new io.conduit.core.engine.local.LocalEngine(
                io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                () -> io.conduit.core.engine.local.GpuStatus.none("no GPU in tests"));
        try (io.conduit.server.ConduitServer server = io.conduit.server.ConduitServer.start(
                io.conduit.server.ServerConfig.builder(dir.resolve("server-cache")).port(0).registry(
                        new io.conduit.core.registry.DirectoryRegistry(dir.resolve("registry")),
                        new io.conduit.core.registry.ModelCache(dir.resolve("server-cache"), Long.MAX_VALUE)).build(),
                engine)) {
            String url = server.baseUri().toString();
            for (String version : new String[]{"1.2.0", "1.3.0"}) {
                CliRunner published = CliRunner.run("models", "publish", initPackage(version).toString(), "--registry", url);
                assertEquals(0, published.status(), published.err());
            }
            String cache = dir.resolve("cache").toString();
            CliRunner signed = CliRunner.run("models", "sign", "test-model@1.2.0", "--registry", url, "--signing-key",
                    keys.toString());
            assertEquals(0, signed.status(), signed.err());
            assertTrue(signed.out().startsWith("signed test-model@1.2.0 with key "), signed.out());
            CliRunner strict = CliRunner.run("run", "test-model@1.2.0", "-i", x.toString(), "--registry", url,
                    "--cache", cache, "--trust-store", trust.toString());
            assertEquals(0, strict.status(), "a workstation requiring signatures accepts it now: " + strict.err());

            CliRunner yank = CliRunner.run("models", "yank", "test-model@1.3.0", "--reason", "trained on the wrong plates",
                    "--registry", url);
            assertEquals(0, yank.status(), yank.err());
            assertTrue(yank.out().contains("test-model@1.3.0 yanked by anonymous at "), yank.out());
            JsonObject r = JsonParser.parseString(CliRunner.run("models", "resolve", "test-model", "--registry", url,
                    "--json").out()).getAsJsonObject();
            assertEquals("1.2.0", r.get("version").getAsString(), "resolution skips the yanked version");
            Path y = dir.resolve("y.npy");
            CliRunner pinned = CliRunner.run("run", "test-model@1.3.0", "-i", x.toString(), "-o", y.toString(),
                    "--registry", url, "--cache", cache, "--allow-unsigned");
            assertEquals(0, pinned.status(), "nothing is deleted: " + pinned.err());
            assertTrue(pinned.err().contains("warning: test-model@1.3.0 was yanked by anonymous at ")
                    && pinned.err().contains(": trained on the wrong plates; unpin it"), pinned.err());
        } finally {
            engine.close();
        }
    }

    /** A key pair made by {@code models keygen} in keys/, its public half trusted in trust/. */
    private Path studioKeys() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, CliRunner.run("models", "keygen", "--out", keys.toString()).status());
        Files.copy(keys.resolve("studio-signing.pub.pem"), Files.createDirectories(dir.resolve("trust")).resolve("studio.pem"));
        return keys;
    }

    /** x.npy: the one input of test-model. */
    private Path input() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(new long[]{1, 1}, 4), x);
        return x;
    }

    private static JsonObject resolved(String registry) {
        CliRunner r = CliRunner.run("models", "resolve", "test-model", "--registry", registry, "--json");
        assertEquals(0, r.status(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }
}
