package io.conduit.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.IntegrityException;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ed25519 signing at publish and verification at pull, with the JDK's provider. */
class SigningTest {
    @TempDir
    Path dir;

    private Path publishSigned(Path keys, Path trust) throws Exception {
        Path registryRoot = dir.resolve("registry");
        DirectoryRegistry publisher = new DirectoryRegistry(registryRoot, TrustPolicy.signingWith(keys, trust, false));
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src")))) {
            publisher.publish(pkg, "td");
        }
        return registryRoot;
    }

    @Test
    void signedVersionsPullOnlyWhereTheKeyIsTrusted() throws Exception {
        Path keys = dir.resolve("keys");
        PublicKey studio = Signatures.generate(keys);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        Path root = publishSigned(keys, trust);
        String record = Files.readString(root.resolve("models/scale-bias/versions/1.0.0.json"));
        assertTrue(record.contains("\"keyId\": \"" + Signatures.keyId(studio) + "\""), record);

        DirectoryRegistry workstation = new DirectoryRegistry(root, TrustPolicy.of(trust, false));
        try (ModelPackage pulled = workstation.pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache"))) {
            assertEquals("scale-bias@1.0.0", pulled.manifest().coordinate());
        }
        Path emptyTrust = Files.createDirectories(dir.resolve("empty-trust"));
        IntegrityException unknown = assertThrows(IntegrityException.class, () -> new DirectoryRegistry(root,
                TrustPolicy.of(emptyTrust, false)).pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache2")));
        assertTrue(unknown.getMessage().contains("which is not in the trust store"), unknown.getMessage());
    }

    @Test
    void aMismatchedKeyPairIsRefusedBeforeSigningAnything() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Signatures.generate(a);
        Signatures.generate(b);
        java.nio.file.Files.copy(b.resolve("studio-signing.pub.pem"), a.resolve("studio-signing.pub.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        io.conduit.core.ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.conduit.core.ConduitException.class, () -> TrustPolicy.signingWith(a, null, false));
        assertTrue(e.getMessage().contains("is not the public half of"), e.getMessage());
    }

    @Test
    void anAlteredRecordAndAnUnsignedVersionAreRefused() throws Exception {
        Path keys = dir.resolve("keys");
        Signatures.generate(keys);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        Path root = publishSigned(keys, trust);
        Path recordFile = root.resolve("models/scale-bias/versions/1.0.0.json");
        Files.writeString(recordFile, Files.readString(recordFile).replace("\\\"cpuAllowed\\\": true",
                "\\\"cpuAllowed\\\": false"));
        IntegrityException altered = assertThrows(IntegrityException.class, () -> new DirectoryRegistry(root,
                TrustPolicy.of(trust, false)).pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache")));
        assertTrue(altered.getMessage().contains("does not match its manifest; the version record was altered"),
                altered.getMessage());

        Path plain = dir.resolve("plain-registry");
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src2")))) {
            new DirectoryRegistry(plain).publish(pkg, "td");
        }
        IntegrityException unsigned = assertThrows(IntegrityException.class, () -> new DirectoryRegistry(plain,
                TrustPolicy.of(trust, false)).pull("scale-bias", SemVer.parse("1.0.0"), dir.resolve("cache3")));
        assertTrue(unsigned.getMessage().contains("is unsigned, and this workstation accepts only signed versions"),
                unsigned.getMessage());
        new DirectoryRegistry(plain, TrustPolicy.of(trust, true)).pull("scale-bias", SemVer.parse("1.0.0"),
                dir.resolve("cache4")).close();
    }
}
