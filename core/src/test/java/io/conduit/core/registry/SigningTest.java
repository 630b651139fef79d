package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.IntegrityException;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ed25519 key handling, and what a registry that requires signatures does with a publisher's own
 * signature. Signing and verification across backends are in {@link RegistryContract}.
 */
class SigningTest {
    @TempDir
    Path dir;

    @Test
    void aMismatchedKeyPairIsRefusedBeforeSigningAnything() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Signatures.generate(a);
        Signatures.generate(b);
        Files.copy(b.resolve("studio-signing.pub.pem"), a.resolve("studio-signing.pub.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        ConduitException e = assertThrows(ConduitException.class, () -> TrustPolicy.signingWith(a, null, false));
        assertTrue(e.getMessage().contains("is not the public half of"), e.getMessage());
    }

    @Test
    void aStrictRegistryRefusesAPublisherSignatureItCannotVerify() throws Exception {
        Path studioKeys = dir.resolve("studio");
        Signatures.generate(studioKeys);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(studioKeys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        Path rogueKeys = dir.resolve("rogue");
        Signatures.generate(rogueKeys);
        DirectoryRegistry strict = new DirectoryRegistry(dir.resolve("registry"), TrustPolicy.of(trust, false));
        Path source = TestModels.packageOf("scale_bias.onnx", dir.resolve("src"));
        String manifestText = Files.readString(source.resolve(ModelPackage.MANIFEST));
        try (ModelPackage pkg = ModelPackage.open(source)) {
            new DirectoryRegistry(dir.resolve("registry")).publish(pkg, "td"); // stores the content, unsigned
        }
        String[] rogue = TrustPolicy.signingWith(rogueKeys, null, true).sign("scale-bias", "1.0.0", manifestText);
        Files.delete(dir.resolve("registry/models/scale-bias/versions/1.0.0.json"));
        IntegrityException refused = assertThrows(IntegrityException.class, () -> strict.commit(manifestText, "td",
                new VersionRecord.Signature(rogue[0], rogue[1])));
        assertTrue(refused.getMessage().contains("which is not in the trust store"), refused.getMessage());
        assertEquals(java.util.List.of(), strict.versions("scale-bias"), "nothing was published");
        String[] good = TrustPolicy.signingWith(studioKeys, null, true).sign("scale-bias", "1.0.0", manifestText);
        assertEquals(TrustPolicy.Outcome.VERIFIED, strict.commit(manifestText, "td",
                new VersionRecord.Signature(good[0], good[1])).check(TrustPolicy.of(trust, false)));
    }

    /** Today an unsigned upload entered a registry that refuses unsigned versions, and every pull of the newest failed. */
    @Test
    void aStrictRegistryWithoutAKeyRefusesAnUnsignedUpload() throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Path source = TestModels.packageOf("scale_bias.onnx", dir.resolve("src"));
        String manifestText = Files.readString(source.resolve(ModelPackage.MANIFEST));
        try (ModelPackage pkg = ModelPackage.open(source)) {
            new DirectoryRegistry(dir.resolve("registry")).publish(pkg, "td"); // the content, as an upload stores it
        }
        Files.delete(dir.resolve("registry/models/scale-bias/versions/1.0.0.json"));
        DirectoryRegistry strict = new DirectoryRegistry(dir.resolve("registry"), TrustPolicy.of(trust, false));
        IntegrityException refused = assertThrows(IntegrityException.class, () -> strict.commitUpload(manifestText, "td", null));
        assertTrue(refused.getMessage().contains("accepts only signed versions"), refused.getMessage());
        assertEquals(java.util.List.of(), strict.versions("scale-bias"), "nothing was published, so nothing unservable"
                + " became the newest version");
    }
}
