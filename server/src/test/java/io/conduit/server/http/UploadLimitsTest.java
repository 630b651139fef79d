package io.conduit.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.server.TestServers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads cannot take the server's threads or memory: stalled uploads (the slowloris attack, on loopback)
 * leave health checks answering at once, and JSON beyond the in-flight budget is answered 503 + Retry-After.
 */
class UploadLimitsTest {
    private static final int STALLED = 300;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Opens a connection that sends a request's head and the start of its body, then nothing more. */
    private static Socket stall(int port, String path, int declared, String extraHeader) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeader
                + "Content-Length: " + declared + "\r\n\r\n{\"inputs\": [").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void healthAnswersWithin100msWhile300UploadsStall() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (TestServers service = new TestServers(dir, b -> b.uploadLimits(new UploadLimits(4, 2L << 30, 64L << 20,
                Duration.ofSeconds(60))))) {
            try {
                for (int i = 0; i < STALLED; i++) {
                    stalled.add(stall(service.server().port(), "/v2/models/scale-bias/infer", 1_000_000, ""));
                }
                URI health = service.server().baseUri().resolve("/v2/health/ready");
                long fastest = Long.MAX_VALUE;
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                    fastest = Math.min(fastest, System.nanoTime() - start);
                    assertEquals(200, answer.statusCode());
                }
                assertTrue(fastest < 100_000_000L, "health took " + fastest / 1_000_000 + " ms at best");
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(service.server().baseUri()
                        .resolve("/v2/models/scale-bias/infer")).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, refused.statusCode(), "a fifth upload from the same caller waits its turn: "
                        + refused.body());
                assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    @Test
    void jsonBeyondTheInFlightBudgetIsAnswered503() throws Exception {
        try (TestServers service = new TestServers(dir, b -> b.maxJsonBytes(2000)
                .uploadLimits(new UploadLimits(16, 2L << 30, 3000, Duration.ofSeconds(60))))) {
            URI infer = service.server().baseUri().resolve("/v2/models/scale-bias/infer");
            String small = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}";
            String padded = small + " ".repeat(1600 - small.length());
            List<Socket> stalled = new ArrayList<>();
            try {
                stalled.add(stall(service.server().port(), "/v2/models/scale-bias/infer", 1500, ""));
                // The stalled body is admitted once the server has read its head; until then the posts fit.
                // Had one of them held its bytes at that moment, the stalled body was the one refused (it
                // has an answer to read): then it is sent again.
                long deadline = System.nanoTime() + 10_000_000_000L;
                HttpResponse<String> answer = post(infer, padded);
                while (answer.statusCode() == 200 && System.nanoTime() < deadline) {
                    Socket last = stalled.get(stalled.size() - 1);
                    if (last.getInputStream().available() > 0) {
                        stalled.add(stall(service.server().port(), "/v2/models/scale-bias/infer", 1500, ""));
                    }
                    answer = post(infer, padded);
                }
                assertEquals(503, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("JSON"), answer.body());
                assertEquals("1", answer.headers().firstValue("Retry-After").orElse(""));
                assertEquals(200, post(infer, small).statusCode(), "a smaller one still fits beside it");
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertEquals(200, untilNot(503, infer, padded).statusCode(), "alone, it fits");
        }
    }

    /** Posts {@code body} until the answer is not {@code status} (bounded): waiting on the server's state, not a clock. */
    private HttpResponse<String> untilNot(int status, URI uri, String body) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> answer = post(uri, body);
        while (answer.statusCode() == status && System.nanoTime() < deadline) {
            answer = post(uri, body);
        }
        return answer;
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
