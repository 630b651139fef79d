package io.conduit.core.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.manifest.SemVer;

/**
 * What makes a version published: its exact manifest text (which lists every file's sha256), who
 * published it and when, and the studio's signature over name, version and manifest. The directory
 * backend keeps it as {@code models/NAME/versions/VERSION.json}; the HTTP backend passes the same
 * JSON through unchanged, so a client verifies the signature itself and need not trust the server.
 * A version signed after publication, or withdrawn ({@link Yank}), has its record rewritten with
 * everything else unchanged.
 */
public record VersionRecord(String name, SemVer version, String manifestText, String publishedBy, String publishedAt,
                            Signature signature, Yank yanked) {

    /** A record without a yank. */
    public VersionRecord(String name, SemVer version, String manifestText, String publishedBy, String publishedAt,
                         Signature signature) {
        this(name, version, manifestText, publishedBy, publishedAt, signature, null);
    }

    /**
     * A withdrawn version: resolution skips it, whoever pins it is warned with the reason, and nothing
     * is deleted. Not covered by the signature, which speaks for the package, not for its standing.
     */
    public record Yank(String reason, String by, String at) {
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("reason", reason);
            o.addProperty("by", by);
            o.addProperty("at", at);
            return o;
        }

        static Yank fromJson(JsonElement json) {
            if (!json.isJsonObject() || !json.getAsJsonObject().has("reason")) {
                throw new IllegalStateException("its yank lacks a reason");
            }
            JsonObject o = json.getAsJsonObject();
            return new Yank(o.get("reason").getAsString(), text(o, "by"), text(o, "at"));
        }

        /** {@code yanked by ana at 2026-11-27T10:00:00Z: wrong colour space}. */
        public String describe() {
            return "yanked" + (by.isEmpty() ? "" : " by " + by) + (at.isEmpty() ? "" : " at " + at) + ": " + reason;
        }
    }

    /** This record with {@code signature} instead of its own. */
    public VersionRecord withSignature(Signature signature) {
        return new VersionRecord(name, version, manifestText, publishedBy, publishedAt, signature, yanked);
    }

    /** This record marked withdrawn. */
    public VersionRecord withYank(Yank yank) {
        return new VersionRecord(name, version, manifestText, publishedBy, publishedAt, signature, yank);
    }

    /** An Ed25519 signature by the key {@code keyId}; see {@link Signatures}. */
    public record Signature(String keyId, String value) {
        public JsonObject toJson() {
            JsonObject sig = new JsonObject();
            sig.addProperty("algorithm", Signatures.ALGORITHM);
            sig.addProperty("keyId", keyId);
            sig.addProperty("value", value);
            return sig;
        }

        /** The signature in {@code json}, refusing one that lacks its key or value. */
        public static Signature fromJson(JsonElement json) {
            if (!json.isJsonObject() || !json.getAsJsonObject().has("keyId") || !json.getAsJsonObject().has("value")) {
                throw new IllegalStateException("its signature lacks keyId or value");
            }
            return new Signature(json.getAsJsonObject().get("keyId").getAsString(),
                    json.getAsJsonObject().get("value").getAsString());
        }
    }

    public Manifest manifest() {
        return ManifestReader.parse(manifestText);
    }

    public String coordinate() {
        return name + "@" + version;
    }

    /** Refuses the version unless {@code trust} accepts its signature (or its lack of one). */
    public TrustPolicy.Outcome check(TrustPolicy trust) {
        return trust.check(coordinate(), name, version.toString(), manifestText,
                signature == null ? null : signature.keyId(), signature == null ? null : signature.value());
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("name", name);
        json.addProperty("version", version.toString());
        json.addProperty("manifest", manifestText);
        json.addProperty("publishedBy", publishedBy);
        json.addProperty("publishedAt", publishedAt);
        if (signature != null) {
            json.add("signature", signature.toJson());
        }
        if (yanked != null) {
            json.add("yanked", yanked.toJson());
        }
        return json;
    }

    /**
     * The record of {@code name@version} read from {@code json}, which came from {@code where}.
     * Anything malformed, or a manifest of another version, is reported as damage to {@code where}.
     */
    public static VersionRecord fromJson(JsonElement json, String name, SemVer version, String where) {
        try {
            JsonObject o = json.getAsJsonObject();
            if (!o.has("manifest") || !o.get("manifest").isJsonPrimitive()) {
                throw new IllegalStateException("it has no manifest text");
            }
            Signature signature = o.has("signature") ? Signature.fromJson(o.get("signature")) : null;
            String manifestText = o.get("manifest").getAsString();
            Manifest m = ManifestReader.parse(manifestText);
            if (!m.name().equals(name) || !m.version().equals(version) || !m.version().toString().equals(version.toString())) {
                throw new IllegalStateException("it holds the manifest of " + m.coordinate());
            }
            Yank yank = o.has("yanked") ? Yank.fromJson(o.get("yanked")) : null;
            return new VersionRecord(name, version, manifestText, text(o, "publishedBy"), text(o, "publishedAt"), signature,
                    yank);
        } catch (RuntimeException malformed) {
            if (malformed instanceof ConduitException c && c.code() != ErrorCode.MANIFEST_INVALID) {
                throw c;
            }
            throw new IntegrityException("version record " + where + " is damaged: " + malformed.getMessage()
                    + "; restore it from the registry's backup");
        }
    }

    private static String text(JsonObject o, String field) {
        return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : "";
    }
}
