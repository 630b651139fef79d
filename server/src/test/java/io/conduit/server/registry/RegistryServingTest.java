package io.conduit.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.core.registry.RolloutRule;
import io.conduit.core.registry.Scope;
import io.conduit.core.testing.TestModels;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit serve --registry: every version served, bare names resolved by the caller's rollout rules. */
class RegistryServingTest {
    @TempDir
    Path dir;

    @Test
    void bareNamesResolveByTheCallersShowAndPinnedVersionsStayPinned() throws Exception {
        DirectoryRegistry registry = new DirectoryRegistry(dir.resolve("registry"));
        for (String version : new String[]{"1.0.0", "2.0.0"}) {
            Path pkg = TestModels.packageOf("scale_bias.onnx", dir.resolve("src" + version), m -> new Manifest(
                    m.schemaVersion(), m.name(), SemVer.parse(version), m.description(), m.authors(), m.modelFile(),
                    m.inputs(), m.outputs(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files()));
            try (ModelPackage opened = ModelPackage.open(pkg)) {
                registry.publish(opened, "td");
            }
        }
        registry.setRule("scale-bias", new RolloutRule(Scope.SHOW, "ABC", "1.0.0"));
        ServerConfig config = ServerConfig.builder(dir.resolve("cache")).port(0)
                .registry(registry, new ModelCache(dir.resolve("cache"), Long.MAX_VALUE)).build();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[2]}]}";
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("no GPU"));
             ConduitServer server = ConduitServer.start(config, engine)) {
            assertEquals(2, server.models().size(), "both versions served");
            JsonObject onShow = infer(http, server, "/v2/models/scale-bias/infer", body, "ABC");
            assertEquals("1.0.0", onShow.get("model_version").getAsString());
            assertEquals("rule show ABC -> 1.0.0",
                    onShow.getAsJsonObject("parameters").get("conduit_resolved_by").getAsString());
            JsonObject elsewhere = infer(http, server, "/v2/models/scale-bias/infer", body, "XYZ");
            assertEquals("2.0.0", elsewhere.get("model_version").getAsString());
            assertTrue(elsewhere.getAsJsonObject("parameters").get("conduit_resolved_by").getAsString()
                    .startsWith("no rollout rule matches"));
            JsonObject pinned = infer(http, server, "/v2/models/scale-bias/versions/2.0.0/infer", body, "ABC");
            assertEquals("2.0.0", pinned.get("model_version").getAsString());
            assertEquals("[5.0]", pinned.getAsJsonArray("outputs").get(0).getAsJsonObject().get("data").toString());
        }
    }

    private static JsonObject infer(HttpClient http, ConduitServer server, String path, String body, String show)
            throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Conduit-Show", show).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }
}
