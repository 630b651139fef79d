package io.conduit.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import io.conduit.server.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What cannot travel is reported as such: a body over the service's limit, outputs JSON cannot
 * carry. Never as an unavailable service, never as the caller's invalid input.
 */
class TransportLimitTest {
    @TempDir
    Path dir;

    private TestServers small;

    @BeforeEach
    void start() throws Exception {
        small = new TestServers(dir, b -> b.maxRequestBytes(64 * 1024));
    }

    @AfterEach
    void stop() {
        small.close();
    }

    private RemoteEngine remote(boolean binary) {
        return new RemoteEngine(new RemoteEngineConfig(List.of(small.server().baseUri()), "", Duration.ofSeconds(2),
                Duration.ofSeconds(20), Duration.ofSeconds(5), 3, Duration.ofSeconds(30), Duration.ofMillis(20),
                Duration.ofMillis(200), binary));
    }

    @Test
    void aBodyOverTheServicesLimitIsReportedAsTooLarge() {
        for (boolean binary : new boolean[]{true, false}) {
            try (RemoteEngine remote = remote(binary); ModelPackage pkg = ModelPackage.open(small.models().resolve("scale_bias"))) {
                Map<String, Tensor> big = Map.of("x", Tensor.allocate(DataType.FP32, 256, 1024)); // 1 MiB
                ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg, big, DevicePreference.REMOTE));
                assertEquals(ErrorCode.REQUEST_TOO_LARGE, e.code(), "binary=" + binary + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("this server accepts at most 65536"), e.getMessage());
            }
        }
    }

    @Test
    void outputsJsonCannotCarryAreNotBlamedOnTheInput() {
        try (RemoteEngine remote = remote(false); ModelPackage pkg = ModelPackage.open(small.models().resolve("scale_bias"))) {
            Map<String, Tensor> huge = Map.of("x", Tensor.ofFloats(new long[]{1, 1}, Float.MAX_VALUE)); // 2x + 1 overflows
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg, huge, DevicePreference.REMOTE));
            assertEquals(ErrorCode.PROTOCOL, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("could not send the answer as JSON: a tensor holds Infinity, which JSON"
                    + " cannot carry"), e.getMessage());
        }
        try (RemoteEngine remote = remote(false); ModelPackage pkg = ModelPackage.open(small.models().resolve("to_half"))) {
            int sessions = small.engine().openSessions();
            ConduitException e = assertThrows(ConduitException.class, () -> remote.run(pkg,
                    Map.of("x", Tensor.ofFloats(new long[]{1}, 1)), DevicePreference.REMOTE));
            assertTrue(e.getMessage().contains("cannot take output \"y\" (FP16 tensors: they travel only as binary data);"
                    + " binary data, which it was not offered (remote.binary is false), is needed"), e.getMessage());
            assertEquals(sessions, small.engine().openSessions(), "refused before anything was sent: the service never loaded it");
            assertEquals(ErrorCode.PROTOCOL, e.code(), "a transport limit, not an unavailable service");
            try (RoutingEngine auto = new RoutingEngine(new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                    () -> GpuStatus.none("test machine has no GPU")), remote(false))) {
                InferenceResult r = auto.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1}, 2)), DevicePreference.AUTO);
                assertEquals(Route.LOCAL_CPU, r.route().route());
                assertTrue(r.route().reason().contains("remote: no service can carry this call: "), r.route().reason());
            }
        }
        try (RemoteEngine remote = remote(true); ModelPackage pkg = ModelPackage.open(small.models().resolve("to_half"))) {
            Tensor y = remote.run(pkg, Map.of("x", Tensor.ofFloats(new long[]{1}, 1.5f)), DevicePreference.REMOTE).output("y");
            assertEquals(1.5f, io.conduit.core.tensor.Half.toFloat(y.halfBits().get(0)), "asked for as binary");
        }
    }
}
