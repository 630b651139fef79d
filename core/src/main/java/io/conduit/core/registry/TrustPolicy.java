package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Who may publish and whom a workstation trusts: the studio's signing key (used at publish), the
 * public keys of the trust store (every {@code *.pem} in a folder), and whether unsigned versions
 * are accepted. A version whose signature does not verify is always refused.
 */
public final class TrustPolicy {
    private final PrivateKey signingKey;
    private final PublicKey signingPublic;
    private final Map<String, PublicKey> trusted;
    private final boolean allowUnsigned;

    private TrustPolicy(PrivateKey signingKey, PublicKey signingPublic, Map<String, PublicKey> trusted, boolean allowUnsigned) {
        this.signingKey = signingKey;
        this.signingPublic = signingPublic;
        this.trusted = Map.copyOf(trusted);
        this.allowUnsigned = allowUnsigned;
    }

    /** No signing, no trust store, unsigned versions accepted: for tests and a TD's own scratch registry. */
    public static TrustPolicy permissive() {
        return new TrustPolicy(null, null, Map.of(), true);
    }

    /** A policy that verifies against the public keys in {@code trustStore} (or none) and does not sign. */
    public static TrustPolicy of(Path trustStore, boolean allowUnsigned) {
        Map<String, PublicKey> trusted = new LinkedHashMap<>();
        if (trustStore != null) {
            if (!Files.isDirectory(trustStore)) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "trust store " + trustStore + " is not a folder");
            }
            try (Stream<Path> files = Files.list(trustStore)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".pem")).sorted().toList()) {
                    PublicKey pub = Signatures.readPublic(file);
                    trusted.put(Signatures.keyId(pub), pub);
                }
            } catch (IOException e) {
                throw new ConduitException(ErrorCode.IO_ERROR, "cannot read trust store " + trustStore + ": " + e.getMessage());
            }
        }
        return new TrustPolicy(null, null, trusted, allowUnsigned);
    }

    /** Whether an unsigned version is refused (registry.allowUnsigned is false). */
    boolean requiresSignatures() {
        return !allowUnsigned;
    }

    boolean signs() {
        return signingKey != null;
    }

    /** {@code {keyId, value}} for a version, or null when this policy does not sign. */
    String[] sign(String name, String version, String manifestText) {
        if (signingKey == null) {
            return null;
        }
        return new String[]{Signatures.keyId(signingPublic),
                Signatures.sign(signingKey, Signatures.payload(name, version, manifestText))};
    }

    /**
     * This policy's signature over {@code record}, for signing a version after publication; refuses
     * when no signing key is set, naming where to set one.
     */
    VersionRecord.Signature signatureFor(VersionRecord record) {
        String[] made = sign(record.name(), record.version().toString(), record.manifestText());
        if (made == null) {
            throw new ConduitException(ErrorCode.USAGE, "signing " + record.coordinate() + " needs a signing key:"
                    + " pass --signing-key DIR or set registry.signingKey (conduit models keygen makes one)");
        }
        return new VersionRecord.Signature(made[0], made[1]);
    }

    /** The public half of the signing key, or null when this policy does not sign. */
    PublicKey signingPublicKey() {
        return signingPublic;
    }

    /** What a check established about a version's signature. */
    public enum Outcome {
        /** Signed by a trusted key, and the signature matches. */
        VERIFIED,
        /** Unsigned, accepted because unsigned versions are allowed. */
        UNSIGNED_ACCEPTED,
        /** Signed, but no trust store is configured to check it against; accepted as unsigned would be. */
        NOT_CHECKED
    }

    /** Refuses a version whose signature is missing (unless allowed), from an unknown key, or false. */
    Outcome check(String coordinate, String name, String version, String manifestText, String keyId, String value) {
        if (keyId == null || value == null) {
            if (!allowUnsigned) {
                throw new IntegrityException(coordinate + " is unsigned, and this workstation accepts only signed"
                        + " versions; publish it with registry.signingKey set, or set registry.allowUnsigned=true");
            }
            return Outcome.UNSIGNED_ACCEPTED;
        }
        PublicKey key = trusted.get(keyId);
        if (key == null) {
            if (allowUnsigned && trusted.isEmpty()) {
                return Outcome.NOT_CHECKED; // nothing to check against, and unsigned would pass anyway
            }
            throw new IntegrityException(coordinate + " is signed by key " + keyId + ", which is not in the trust store"
                    + " (registry.trustStore); add the studio's public key there");
        }
        if (!Signatures.verify(key, Signatures.payload(name, version, manifestText), value)) {
            throw new IntegrityException(coordinate + ": its signature by key " + keyId + " does not match its manifest;"
                    + " the version record was altered after publishing");
        }
        return Outcome.VERIFIED;
    }

    /**
     * A policy that also signs, with the key pair in a folder written by {@link Signatures#generate}
     * (or a private key file with its {@code .pub.pem} beside it): the JDK does not derive an
     * Ed25519 public key from the private one, and the public key names the signature.
     */
    public static TrustPolicy signingWith(Path keyFolderOrPrivateFile, Path trustStore, boolean allowUnsigned) {
        Path privateFile = Files.isDirectory(keyFolderOrPrivateFile)
                ? keyFolderOrPrivateFile.resolve("studio-signing.pem") : keyFolderOrPrivateFile;
        String name = privateFile.getFileName().toString();
        Path publicFile = privateFile.resolveSibling(name.endsWith(".pem") ? name.substring(0, name.length() - 4)
                + ".pub.pem" : name + ".pub.pem");
        TrustPolicy base = of(trustStore, allowUnsigned);
        PrivateKey signing = Signatures.readPrivate(privateFile);
        PublicKey named = Signatures.readPublic(publicFile);
        byte[] probe = "conduit key pair check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!Signatures.verify(named, probe, Signatures.sign(signing, probe))) {
            throw new ConduitException(ErrorCode.USAGE, publicFile + " is not the public half of " + privateFile
                    + "; every version signed with this pair would be unverifiable");
        }
        return new TrustPolicy(signing, named, base.trusted, allowUnsigned);
    }
}
