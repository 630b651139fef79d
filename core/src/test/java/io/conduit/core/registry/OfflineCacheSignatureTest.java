package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.IntegrityException;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageWriter;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached copy used while the registry is unreachable passes the signature check a pull does, not only
 * its digests: each case here was served offline before the cache kept the version record.
 */
class OfflineCacheSignatureTest {
    private static final SemVer V1 = SemVer.parse("1.0.0");

    @TempDir
    Path dir;

    private Path trust;
    private Path copy;

    /** A signed version pulled by a workstation that requires signatures, then the registry goes away. */
    @BeforeEach
    void pullSignedThenGoOffline() throws Exception {
        Path keys = dir.resolve("keys");
        Signatures.generate(keys);
        trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"),
                TrustPolicy.signingWith(keys, trust, false));
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src")))) {
            registry.publish(pkg, "td");
        }
        new DirectoryRegistry(registry.root(), TrustPolicy.of(trust, false)).pull("scale-bias", V1, dir.resolve("cache"))
                .close();
        FileTrees.deleteQuietly(registry.root());
        copy = dir.resolve("cache/scale-bias/1.0.0");
    }

    private ModelCache strictCache(Path trustStore) {
        return new ModelCache(dir.resolve("cache"), Long.MAX_VALUE, TrustPolicy.of(trustStore, false));
    }

    @Test
    void anIntactSignedCopyServesOffline() {
        try (ModelPackage pkg = strictCache(trust).open("scale-bias", V1).orElseThrow()) {
            assertEquals("scale-bias@1.0.0", pkg.manifest().coordinate());
        }
    }

    @Test
    void aCopyWhoseManifestWasRewrittenWithMatchingDigestsIsRefused() throws Exception {
        Files.copy(TestModels.onnx("two_in_two_out.onnx"), copy.resolve("model.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PackageWriter.reseal(copy); // every digest agrees again; only the signature can tell
        IntegrityException refused = assertThrows(IntegrityException.class,
                () -> strictCache(trust).open("scale-bias", V1));
        assertTrue(refused.getMessage().contains("has a conduit.json other than the one its signature covers"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("pull it again (conduit models pull scale-bias@1.0.0)"),
                refused.getMessage());
    }

    @Test
    void aCopyWhoseKeptSignatureWasAlteredIsRefused() throws Exception {
        Path record = CachedRecord.of(copy);
        JsonObject json = JsonParser.parseString(Files.readString(record)).getAsJsonObject();
        String value = json.getAsJsonObject("signature").get("value").getAsString();
        json.getAsJsonObject("signature").addProperty("value", (value.startsWith("A") ? "B" : "A") + value.substring(1));
        Files.writeString(record, json.toString());
        IntegrityException refused = assertThrows(IntegrityException.class,
                () -> strictCache(trust).open("scale-bias", V1));
        assertTrue(refused.getMessage().contains("no longer passes this workstation's signature check, so it is not"
                + " used offline") && refused.getMessage().contains("does not match its manifest"), refused.getMessage());
    }

    @Test
    void aCopySignedByAKeyRemovedFromTheTrustStoreIsRefused() throws Exception {
        Path emptied = Files.createDirectories(dir.resolve("trust-after-rotation"));
        IntegrityException refused = assertThrows(IntegrityException.class,
                () -> strictCache(emptied).open("scale-bias", V1));
        assertTrue(refused.getMessage().contains("which is not in the trust store (registry.trustStore); add the"
                + " studio's public key there"), refused.getMessage());
    }

    @Test
    void aCopyWithoutItsRecordServesOnlyWhereUnsignedVersionsAreAccepted() throws Exception {
        Files.delete(CachedRecord.of(copy));
        IntegrityException refused = assertThrows(IntegrityException.class,
                () -> strictCache(trust).open("scale-bias", V1));
        assertTrue(refused.getMessage().contains("has no record of its signature"), refused.getMessage());
        ModelCache lenient = new ModelCache(dir.resolve("cache"), Long.MAX_VALUE, TrustPolicy.of(trust, true));
        lenient.open("scale-bias", V1).orElseThrow().close();
    }
}
