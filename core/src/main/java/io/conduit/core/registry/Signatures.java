package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.pkg.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over a version's identity and exact manifest (which holds the sha256 of every
 * file), with the JDK's own provider. Keys are PEM files: PKCS#8 for the studio's private key,
 * X.509 SubjectPublicKeyInfo for the public keys of the trust store. A key is named by the first
 * 16 hex digits of its public key's sha256.
 */
public final class Signatures {
    static final String ALGORITHM = "Ed25519";

    private Signatures() {
    }

    /** What is signed: a fixed prefix, the name, the version and the manifest text, so none can be swapped. */
    static byte[] payload(String name, String version, String manifestText) {
        return ("conduit-signature-v1\n" + name + "\n" + version + "\n" + manifestText).getBytes(StandardCharsets.UTF_8);
    }

    static String sign(PrivateKey key, byte[] payload) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(payload);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new ConduitException(ErrorCode.INTERNAL, "Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    static boolean verify(PublicKey key, byte[] payload, String signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(payload);
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static String keyId(PublicKey key) {
        return Sha256.ofBytes(key.getEncoded()).substring(0, 16);
    }

    /** Writes a new key pair: {@code studio-signing.pem} (private, owner-only) and {@code studio-signing.pub.pem}. */
    public static PublicKey generate(Path folder) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Files.createDirectories(folder);
            Path privateFile = folder.resolve("studio-signing.pem");
            Path publicFile = folder.resolve("studio-signing.pub.pem");
            if (Files.exists(privateFile) || Files.exists(publicFile)) {
                throw new ConduitException(ErrorCode.USAGE, folder + " already holds a signing key; keys are never"
                        + " overwritten");
            }
            try {
                Files.createFile(privateFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(privateFile); // Windows: the folder's ACL protects it; keep the folder private
            }
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return pair.getPublic();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write a key pair to " + folder + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivate(Path file) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new ConduitException(ErrorCode.USAGE, file + " is not an Ed25519 private key in PKCS#8 PEM: " + e.getMessage());
        }
    }

    public static PublicKey readPublic(Path file) {
        return parsePublic(read(file), file.toString());
    }

    /** The public key in PEM {@code text}, which came from {@code where} (for messages). */
    public static PublicKey parsePublic(String text, String where) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(text, where, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new ConduitException(ErrorCode.USAGE, where + " is not an Ed25519 public key in PEM: " + e.getMessage());
        }
    }

    /** {@code key} as the PEM text {@link #parsePublic} reads. */
    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot read key " + file + ": " + e.getMessage());
        }
    }

    private static byte[] der(Path file, String kind) {
        return der(read(file), file.toString(), kind);
    }

    private static byte[] der(String text, String file, String kind) {
        String begin = "-----BEGIN " + kind + "-----";
        String end = "-----END " + kind + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new ConduitException(ErrorCode.USAGE, file + " holds no " + begin + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.USAGE, file + ": the " + kind + " block is not valid Base64");
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + kind + "-----\n";
    }
}
