package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.Route;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.policy.RoutingEngine;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.protocol.PackageDigest;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import io.conduit.server.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two different packages published under one name and version: the service and the remote engine
 * compare package digests, so the same {@code name@version} never gives a different answer remotely.
 */
class PackageDigestTest {
    private static final Map<String, Tensor> INPUT = Map.of("x", Tensor.ofFloats(new long[]{1, 1}, 4));

    @TempDir
    Path dir;

    private TestServers service;
    private final LocalEngine local = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));

    @BeforeEach
    void start() throws Exception {
        service = TestServers.start(dir.resolve("service"));
    }

    @AfterEach
    void stop() {
        service.close();
        local.close();
    }

    /** scale-bias@1.0.0 again, but not the service's package: its manifest says something else. */
    private ModelPackage impostor() {
        return ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir.resolve("workstation"), m -> new Manifest(
                m.schemaVersion(), m.name(), m.version(), "retrained on other plates", m.authors(), m.modelFile(),
                m.inputs(), m.outputs(), m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files())));
    }

    private static RemoteEngine remote(URI endpoint) {
        return new RemoteEngine(new RemoteEngineConfig(List.of(endpoint), "", Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(5), 3, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200), true));
    }

    @Test
    void theSamePackageRunsRemotelyAndTheServiceConfirmsIt() {
        try (RemoteEngine remote = remote(service.server().baseUri());
             ModelPackage same = ModelPackage.open(service.models().resolve("scale_bias"))) {
            InferenceResult r = remote.run(same, INPUT, DevicePreference.REMOTE);
            assertEquals(Route.REMOTE, r.route().route());
            assertEquals(9f, r.output("y").floats().get(0));
            assertFalse(r.route().reason().contains("did not confirm"), r.route().reason());
        }
    }

    @Test
    void aDifferentPackageUnderTheSameNameAndVersionIsRefusedOnRemote() {
        try (RemoteEngine remote = remote(service.server().baseUri()); ModelPackage impostor = impostor();
             ModelPackage served = ModelPackage.open(service.models().resolve("scale_bias"))) {
            assertEquals(served.manifest().coordinate(), impostor.manifest().coordinate());
            assertNotEquals(served.digest(), impostor.digest());
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(impostor, INPUT, DevicePreference.REMOTE));
            assertEquals(ErrorCode.PACKAGE_MISMATCH, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(service.base().replaceAll("/$", "") + ": the service holds a different"
                    + " scale-bias@1.0.0 (package digest " + served.digest().substring(0, 12) + "; the caller's is "
                    + impostor.digest().substring(0, 12) + ")"), e.getMessage());
        }
    }

    @Test
    void autoSkipsTheServiceSayingWhyAndRunsOnTheCpu() {
        try (RoutingEngine routing = new RoutingEngine(local, remote(service.server().baseUri()));
             ModelPackage impostor = impostor()) {
            InferenceResult r = routing.run(impostor, INPUT, DevicePreference.AUTO);
            assertEquals(Route.LOCAL_CPU, r.route().route());
            assertEquals(9f, r.output("y").floats().get(0));
            assertTrue(r.route().reason().contains("remote: " + service.base().replaceAll("/$", "")
                    + ": the service holds a different scale-bias@1.0.0"), r.route().reason());
        }
    }

    @Test
    void aServiceThatIgnoresTheHeaderIsCaughtByTheDigestItAnswers() throws Exception {
        String body = "{\"model_name\":\"scale-bias\",\"model_version\":\"1.0.0\",\"parameters\":{\""
                + PackageDigest.PARAMETER + "\":\"0123456789abcdef\"},\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
                + "\"shape\":[1,1],\"data\":[123]}]}";
        try (MockWebServer ignoring = new MockWebServer(); ModelPackage pkg = impostor()) {
            ignoring.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return switch (request.getPath()) {
                        case "/v2/health/ready" -> new MockResponse().setBody("{\"ready\":true}");
                        case "/v2" -> new MockResponse().setBody("{\"name\":\"mock\",\"extensions\":[]}");
                        // a V2 service without Triton's config extension: only the digest it answers can tell
                        case "/v2/models/scale-bias/config" -> new MockResponse().setResponseCode(404);
                        default -> new MockResponse().setBody(body);
                    };
                }
            });
            ignoring.start();
            try (RemoteEngine remote = remote(ignoring.url("/").uri())) {
                ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg, INPUT, DevicePreference.REMOTE));
                assertEquals(ErrorCode.PACKAGE_MISMATCH, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("holds a different scale-bias@1.0.0 (package digest 0123456789ab"),
                        e.getMessage());
            }
            String sent = null;
            for (int i = ignoring.getRequestCount(); i > 0; i--) {
                RecordedRequest request = ignoring.takeRequest();
                if (request.getPath().endsWith("/infer")) {
                    sent = request.getHeader(PackageDigest.HEADER);
                }
            }
            assertEquals(pkg.digest(), sent, "the engine sent its package digest");
        }
    }
}
