package io.conduit.core.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote engine against a fake V2 service on loopback that answers what a broken or hostile service
 * might: shapes the model cannot give, and bodies larger than its outputs can take. Each is refused with
 * {@code CDT-REMOTE-ANSWER} before its data is read, never handed on as a result.
 */
class RemoteAnswerTest {
    private static final Map<String, Tensor> INPUT = Map.of("x", Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6));

    @TempDir
    Path dir;
    private HttpServer server;
    private ExecutorService threads;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private Path pkg;

    /** What the fake service sends for an inference: its headers and body. */
    private record Answer(String headerLength, long contentLength, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        pkg = TestModels.packageOf("scale_bias.onnx", dir, RemoteAnswerTest::batched);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            if (path.equals("/v2/health/ready")) {
                exchange.sendResponseHeaders(200, -1);
            } else if (path.equals("/v2")) {
                send(exchange, 200, "{\"extensions\":[\"binary_tensor_data\"]}".getBytes(StandardCharsets.UTF_8), -2);
            } else if (path.endsWith("/infer")) {
                Answer a = answer.get();
                if (a.headerLength() != null) {
                    exchange.getResponseHeaders().set("Inference-Header-Content-Length", a.headerLength());
                }
                send(exchange, 200, a.body(), a.contentLength());
            } else {
                exchange.sendResponseHeaders(404, -1); // no config endpoint: the semantic version is the route
            }
        }
    }

    /** {@code contentLength} -2: the body's own length; 0: chunked, as HttpServer spells it. */
    private void send(HttpExchange exchange, int status, byte[] body, long contentLength) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, contentLength == -2 ? body.length : contentLength);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int at = 0; at < body.length; at += 8192) {
                int n = Math.min(8192, body.length - at);
                out.write(body, at, n);
                bodyBytesWritten.addAndGet(n);
            }
        } catch (IOException clientHungUp) {
            // what a refused answer looks like from here
        }
    }

    @Test
    void anOutputWhoseBatchDisagreesWithTheInputsIsRefusedWithItsCode() throws Exception {
        answer.set(json("{\"model_name\":\"scale_bias\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[5,3],"
                + "\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}"));
        RemoteAnswerException e = refused();
        assertTrue(e.getMessage().contains("sent output \"y\" as FP32[5, 3] where scale-bias@1.0.0 declares y FP32[-1, -1];"
                + " its first axis is the inputs' batch, 2"), e.getMessage());
    }

    @Test
    void aDynamicAxisBeyondWhatTheInputsAllowIsRefusedBeforeItsBytesAreRead() throws Exception {
        // The header promises 800 kB of binary data that never follows: reading it would end in a truncation error.
        String header = "{\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[2,100000],"
                + "\"parameters\":{\"binary_data_size\":800000}}]}";
        byte[] body = header.getBytes(StandardCharsets.UTF_8);
        answer.set(new Answer(Integer.toString(body.length), -2, body));
        RemoteAnswerException e = refused();
        assertTrue(e.getMessage().contains("output \"y\" as FP32[2, 100000]"), e.getMessage());
        assertTrue(e.getMessage().contains("a dynamic axis may be at most 16 x 3 (the inputs' largest axis)"), e.getMessage());
    }

    @Test
    void anUndeclaredOutputIsRefused() throws Exception {
        answer.set(json("{\"outputs\":[{\"name\":\"extra\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}"));
        RemoteAnswerException e = refused();
        assertTrue(e.getMessage().contains("output \"extra\", which scale-bias@1.0.0 does not declare (its outputs: [y])"),
                e.getMessage());
    }

    @Test
    void aBodyLargerThanTheOutputsCanTakeIsRefusedWhetherItDeclaresItsLengthOrNot() throws Exception {
        int padding = 8 << 20;
        byte[] body = ("{\"parameters\":{\"padding\":\"" + "x".repeat(padding) + "\"},\"outputs\":[{\"name\":\"y\","
                + "\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[1,2,3,4,5,6]}]}").getBytes(StandardCharsets.UTF_8);
        answer.set(new Answer(null, -2, body));
        RemoteAnswerException declared = refused();
        assertTrue(declared.getMessage().contains("an answer of " + body.length + " bytes (its Content-Length) where at most"),
                declared.getMessage());

        bodyBytesWritten.set(0);
        answer.set(new Answer(null, 0, body));
        RemoteAnswerException chunked = refused();
        long most = new AnswerBounds(manifest(), INPUT.values(), "").maxBodyBytes(true);
        assertTrue(chunked.getMessage().contains("an answer of more than " + most + " bytes"), chunked.getMessage());
    }

    private RemoteAnswerException refused() {
        try (ModelPackage model = ModelPackage.open(pkg);
             RemoteEngine remote = new RemoteEngine(RemoteEngineConfig.forEndpoints(
                     List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))))) {
            RemoteAnswerException e = assertThrows(RemoteAnswerException.class,
                    () -> remote.run(model, INPUT, DevicePreference.REMOTE));
            assertEquals(ErrorCode.REMOTE_ANSWER, e.code());
            assertTrue(e.getMessage().endsWith("; the answer was discarded"), e.getMessage());
            return e;
        }
    }

    private Manifest manifest() {
        try (ModelPackage model = ModelPackage.open(pkg)) {
            return model.manifest();
        }
    }

    /** scale_bias with x and y declared as vectors, whose first axis is a batch axis. */
    private static Manifest batched(Manifest m) {
        return new Manifest(m.schemaVersion(), m.name(), m.version(), m.description(), m.authors(), m.modelFile(),
                m.inputs().stream().map(RemoteAnswerTest::vector).toList(), m.outputs().stream().map(RemoteAnswerTest::vector).toList(),
                m.requirements(), m.hosts(), m.lineage(), m.assets(), m.files());
    }

    private static TensorSpec vector(TensorSpec s) {
        return new TensorSpec(s.name(), s.datatype(), s.shape(), Layout.VECTOR, s.role(), s.valueRange(), s.colorSpace(), s.units());
    }

    private static Answer json(String text) {
        return new Answer(null, -2, text.getBytes(StandardCharsets.UTF_8));
    }
}
