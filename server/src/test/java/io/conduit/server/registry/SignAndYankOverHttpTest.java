package io.conduit.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.ArtistContext;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.HttpRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.core.registry.Signatures;
import io.conduit.core.registry.TrustPolicy;
import io.conduit.core.registry.VersionRecord;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing and yanking a published version through {@code conduit serve}'s registry API, on loopback: only
 * {@code publish} tokens may, the record changes and nothing else does, and what workstations then see.
 */
class SignAndYankOverHttpTest {
    private static final String PUBLISHER = "td-lead-token-0123456789";
    private static final String ARTIST = "artist-token-0123456789ab";
    private static final String ABC_PUBLISHER = "abc-td-token-0123456789ab";
    private static final SemVer V1 = SemVer.parse("1.0.0");
    private static final SemVer V2 = SemVer.parse("1.1.0");

    @TempDir
    Path dir;

    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    private final HttpClient http = HttpClient.newHttpClient();
    private ConduitServer server;
    private DirectoryRegistry storage;
    private Path keys;
    private Path trust;

    @BeforeEach
    void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), PUBLISHER + " td-lead roles=publish\n"
                + ARTIST + " ana\n" + ABC_PUBLISHER + " abc-td roles=publish shows=ABC\n");
        Path cache = Files.createDirectories(dir.resolve("server-cache"));
        // The server holds no trust store: a tampered signature must be caught all the same.
        storage = new DirectoryRegistry(dir.resolve("registry"));
        server = ConduitServer.start(ServerConfig.builder(cache).port(0).tokensFile(tokens)
                .registry(storage, new ModelCache(cache, Long.MAX_VALUE)).build(), engine);
        keys = dir.resolve("keys");
        Signatures.generate(keys);
        trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("studio-signing.pub.pem"), trust.resolve("studio.pem"));
        HttpRegistry lead = client(PUBLISHER, TrustPolicy.permissive());
        for (SemVer version : List.of(V1, V2)) {
            try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("src-" + version),
                    m -> new Manifest(m.schemaVersion(), m.name(), version, m.description(), m.authors(), m.modelFile(),
                            m.inputs(), m.outputs(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files())))) {
                lead.publish(pkg, "td"); // unsigned: published before keys were set up
            }
        }
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void aPublishTokenSignsAVersionLaterWithoutChangingItsNumberOrBytes() throws Exception {
        HttpRegistry strictWorkstation = client(ARTIST, TrustPolicy.of(trust, false));
        IntegrityException unsigned = assertThrows(IntegrityException.class,
                () -> strictWorkstation.pull("scale-bias", V1, dir.resolve("ws-cache")));
        assertTrue(unsigned.getMessage().contains("is unsigned"), unsigned.getMessage());
        String manifestBefore = storage.record("scale-bias", V1).manifestText();
        Map<Path, String> blobsBefore = blobs();

        ConduitException refused = assertThrows(ConduitException.class,
                () -> client(ARTIST, TrustPolicy.signingWith(keys, null, true)).sign("scale-bias", V1));
        assertEquals(ErrorCode.FORBIDDEN, refused.code(), refused.getMessage());
        HttpResponse<String> raw = put(ARTIST, "/conduit/v1/models/scale-bias/versions/1.0.0/signature", "{}");
        assertEquals(403, raw.statusCode());
        assertEquals("CDT-FORBIDDEN", json(raw).get("code").getAsString());
        assertNull(storage.record("scale-bias", V1).signature(), "an infer token changed nothing");

        VersionRecord signed = client(PUBLISHER, TrustPolicy.signingWith(keys, null, true)).sign("scale-bias", V1);
        assertEquals(Signatures.keyId(Signatures.readPublic(keys.resolve("studio-signing.pub.pem"))),
                signed.signature().keyId());
        assertEquals(List.of(V1, V2), storage.versions("scale-bias"), "no new version number");
        assertEquals(manifestBefore, storage.record("scale-bias", V1).manifestText(), "the manifest is the same text");
        assertEquals(blobsBefore, blobs(), "no package byte was sent or changed");
        assertEquals(TrustPolicy.Outcome.VERIFIED, strictWorkstation.verifySignature("scale-bias", V1));
        strictWorkstation.pull("scale-bias", V1, dir.resolve("ws-cache")).close();
    }

    @Test
    void aTamperedOrMislabelledSignatureIsRefusedAndTheRecordStaysAsItWas() throws Exception {
        VersionRecord.Signature genuine = genuineSignature(storage.record("scale-bias", V1).manifestText());
        String value = genuine.value();
        String tampered = (value.startsWith("A") ? "B" : "A") + value.substring(1);
        String publicPem = Files.readString(keys.resolve("studio-signing.pub.pem"));
        HttpResponse<String> altered = put(PUBLISHER, "/conduit/v1/models/scale-bias/versions/1.0.0/signature",
                signatureBody(genuine.keyId(), tampered, publicPem));
        assertEquals(400, altered.statusCode(), altered.body());
        assertEquals("CDT-PACKAGE-INTEGRITY", json(altered).get("code").getAsString());
        assertTrue(json(altered).get("error").getAsString().contains("does not match its manifest"), altered.body());

        Path rogue = dir.resolve("rogue");
        Signatures.generate(rogue);
        HttpResponse<String> mislabelled = put(PUBLISHER, "/conduit/v1/models/scale-bias/versions/1.0.0/signature",
                signatureBody(genuine.keyId(), value, Files.readString(rogue.resolve("studio-signing.pub.pem"))));
        assertEquals(400, mislabelled.statusCode(), mislabelled.body());
        assertTrue(json(mislabelled).get("error").getAsString().contains("but came with key"), mislabelled.body());
        assertNull(storage.record("scale-bias", V1).signature(), "the record is as it was");

        HttpResponse<String> accepted = put(PUBLISHER, "/conduit/v1/models/scale-bias/versions/1.0.0/signature",
                signatureBody(genuine.keyId(), value, publicPem));
        assertEquals(200, accepted.statusCode(), accepted.body());
    }

    @Test
    void aPublishTokenYanksAVersionWhichResolutionSkipsAndPinnedUsersAreToldWhy() throws Exception {
        assertEquals(V2, client(ARTIST, TrustPolicy.permissive()).resolve("scale-bias", new ArtistContext(null, null, "ana"))
                .version());
        ConduitException artist = assertThrows(ConduitException.class,
                () -> client(ARTIST, TrustPolicy.permissive()).yank("scale-bias", V2, "I dislike it", "ana"));
        assertEquals(ErrorCode.FORBIDDEN, artist.code(), artist.getMessage());
        HttpResponse<String> raw = put(ARTIST, "/conduit/v1/models/scale-bias/versions/1.1.0/yank", "{\"reason\": \"x\"}");
        assertEquals(403, raw.statusCode());
        assertEquals("CDT-FORBIDDEN", json(raw).get("code").getAsString());
        ConduitException oneShow = assertThrows(ConduitException.class,
                () -> client(ABC_PUBLISHER, TrustPolicy.permissive()).yank("scale-bias", V2, "for ABC only", "abc-td"));
        assertEquals(ErrorCode.FORBIDDEN, oneShow.code());
        assertTrue(oneShow.getMessage().contains("is studio-wide"), oneShow.getMessage());
        ConduitException noReason = assertThrows(ConduitException.class,
                () -> client(PUBLISHER, TrustPolicy.permissive()).yank("scale-bias", V2, " ", "td"));
        assertEquals(ErrorCode.USAGE, noReason.code());
        assertNull(storage.record("scale-bias", V2).yanked(), "no refused call yanked anything");

        VersionRecord yanked = client(PUBLISHER, TrustPolicy.permissive())
                .yank("scale-bias", V2, "banding in dark plates", "someone-else");
        assertEquals("td-lead", yanked.yanked().by(), "the yanking user is the token's, not the client's claim");
        assertEquals("banding in dark plates", storage.record("scale-bias", V2).yanked().reason(), "stored");

        HttpRegistry workstation = client(ARTIST, TrustPolicy.permissive());
        var resolved = workstation.resolve("scale-bias", new ArtistContext(null, null, "ana"));
        assertEquals(V1, resolved.version(), "resolution skips the yanked version");
        assertTrue(resolved.chosenBy().contains("the newest release not yanked"), resolved.chosenBy());
        VersionRecord pinned = workstation.record("scale-bias", V2);
        assertTrue(pinned.yanked().describe().startsWith("yanked by td-lead at ")
                && pinned.yanked().describe().endsWith(": banding in dark plates"), pinned.yanked().describe());
        assertEquals(List.of(V1, V2), workstation.versions("scale-bias"), "nothing is deleted");
        workstation.pull("scale-bias", V2, dir.resolve("ws-cache")).close();
    }

    /** The studio key's signature over {@code manifest}, made as a publishing client makes it: by a registry that signs. */
    private VersionRecord.Signature genuineSignature(String manifest) throws Exception {
        DirectoryRegistry scratch = new DirectoryRegistry(dir.resolve("scratch"), TrustPolicy.signingWith(keys, null, true));
        try (ModelPackage pkg = storage.pull("scale-bias", V1, dir.resolve("pulled"))) {
            for (var file : pkg.manifest().files().entrySet()) {
                try (var in = Files.newInputStream(pkg.root().resolve(file.getKey()))) {
                    scratch.storeBlob(file.getValue(), in); // commit needs the content present
                }
            }
        }
        return scratch.commit(manifest, "td", null).signature();
    }

    private static String signatureBody(String keyId, String value, String publicPem) {
        JsonObject body = new JsonObject();
        body.add("signature", new VersionRecord.Signature(keyId, value).toJson());
        body.addProperty("publicKey", publicPem);
        return body.toString();
    }

    private HttpRegistry client(String token, TrustPolicy policy) {
        return new HttpRegistry(server.baseUri(), token, policy);
    }

    private Map<Path, String> blobs() throws Exception {
        Map<Path, String> blobs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("registry/blobs"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                blobs.put(p, io.conduit.core.pkg.Sha256.ofFile(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return blobs;
    }

    private HttpResponse<String> put(String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
