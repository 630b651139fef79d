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
 */
public record VersionRecord(String name, SemVer version, String manifestText, String publishedBy, String publishedAt,
                            Signature signature) {

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
            return new VersionRecord(name, version, manifestText, text(o, "publishedBy"), text(o, "publishedAt"), signature);
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
