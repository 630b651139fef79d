package io.conduit.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.server.RequiredTool;
import io.conduit.server.TestServers;
import io.conduit.server.feedback.FeedbackStore;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /ui dashboard in a real headless Chromium (Debian's chromium, which .ci/run installs), driven
 * over the DevTools protocol with the JDK's own WebSocket client: the page lists the served models,
 * a real mouse click on one shows its versions, lineage, feedback and telemetry, and a screenshot of
 * the result is taken and checked to hold a drawn page.
 */
class DashboardTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void aClickOnAModelShowsItsVersionsFeedbackAndTelemetry() throws Exception {
        RequiredTool.require(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed here");
        HttpClient http = HttpClient.newHttpClient();
        try (TestServers servers = new TestServers(dir, b -> b.feedbackStore(FeedbackStore.open("jdbc:h2:mem:ui")))) {
            URI base = servers.server().baseUri();
            String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}";
            for (int i = 0; i < 3; i++) {
                http.send(HttpRequest.newBuilder(base.resolve("/v2/models/scale-bias/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            }
            JsonObject note = new JsonObject();
            note.addProperty("id", "ui-1");
            note.addProperty("at", Instant.now().toString());
            note.addProperty("model", "scale-bias");
            note.addProperty("version", "1.0.0");
            note.addProperty("rating", 4);
            http.send(HttpRequest.newBuilder(base.resolve("/conduit/v1/feedback"))
                    .POST(HttpRequest.BodyPublishers.ofString(note.toString())).build(), HttpResponse.BodyHandlers.discarding());

            ProcessBuilder browser = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1200,900", "--user-data-dir=" + dir.resolve("profile"),
                    "--remote-debugging-port=0", "about:blank").redirectErrorStream(true);
            // Chromium keeps its singleton socket folder in TMPDIR and, killed at the end, never removes it, so
            // it gets a folder of its own that the test removes. A short one under /tmp: a Unix socket's path
            // is limited to 107 bytes, which a folder under target/ can exceed.
            Path socketFolder = Files.createTempDirectory(Path.of("/tmp"), "conduit-chromium-");
            browser.environment().put("TMPDIR", socketFolder.toString());
            Process chromium = browser.start();
            try (Cdp page = Cdp.attach(chromium)) {
                page.call("Page.navigate", Map.of("url", base + "/ui"));
                page.waitFor("document.querySelectorAll('nav button').length > 0");
                JsonObject rect = page.evaluate("JSON.stringify(document.querySelector(\"nav button[data-model='scale-bias']\")"
                        + ".getBoundingClientRect())");
                JsonObject box = JsonParser.parseString(rect.get("value").getAsString()).getAsJsonObject();
                double x = box.get("x").getAsDouble() + 10;
                double y = box.get("y").getAsDouble() + 5;
                for (String type : new String[]{"mousePressed", "mouseReleased"}) {
                    page.call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left",
                            "clickCount", 1));
                }
                page.waitFor("document.getElementById('model-title') && document.getElementById('stats-table')"
                        + " && document.getElementById('feedback-table')");
                assertEquals("scale-bias", page.evaluate("document.getElementById('model-title').textContent")
                        .get("value").getAsString());
                assertTrue(page.evaluate("document.getElementById('versions').textContent").get("value").getAsString()
                        .contains("1.0.0"));
                assertTrue(page.evaluate("document.getElementById('stats-table').textContent").get("value").getAsString()
                        .contains("local-cpu"), "the telemetry table names the route");
                assertTrue(page.evaluate("document.querySelectorAll('#lineage rect').length").get("value").getAsInt() >= 1);
                String png = page.call("Page.captureScreenshot", Map.of("format", "png")).get("data").getAsString();
                byte[] bytes = Base64.getDecoder().decode(png);
                Path shot = Path.of("target/dashboard.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, bytes);
                BufferedImage image = ImageIO.read(shot.toFile());
                Set<Integer> colours = new HashSet<>();
                for (int py = 0; py < image.getHeight(); py += 7) {
                    for (int px = 0; px < image.getWidth(); px += 7) {
                        colours.add(image.getRGB(px, py));
                    }
                }
                assertTrue(colours.size() > 20, "the screenshot shows a drawn page (" + colours.size() + " colours)");
            } finally {
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                try (java.util.stream.Stream<Path> left = Files.walk(socketFolder)) {
                    for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** The few DevTools protocol calls the test needs, over one page's WebSocket. */
    private static final class Cdp implements AutoCloseable, WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Cdp attach(Process chromium) throws Exception {
            BufferedReader out = new BufferedReader(new InputStreamReader(chromium.getInputStream()));
            String port = null;
            for (String line; port == null && (line = out.readLine()) != null; ) {
                if (line.startsWith("DevTools listening on ws://")) {
                    port = line.replaceAll(".*://127\\.0\\.0\\.1:(\\d+)/.*", "$1");
                }
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            HttpClient http = HttpClient.newHttpClient();
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (var t : JsonParser.parseString(targets).getAsJsonArray()) {
                if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
                    ws = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                }
            }
            Cdp cdp = new Cdp();
            cdp.socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), cdp).get(30, TimeUnit.SECONDS);
            return cdp;
        }

        JsonObject call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            JsonObject message = new JsonObject();
            message.addProperty("id", id);
            message.addProperty("method", method);
            message.add("params", new com.google.gson.Gson().toJsonTree(params));
            CompletableFuture<JsonObject> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText(message.toString(), true);
            JsonObject reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " failed: " + reply.get("error"));
            }
            return reply.getAsJsonObject("result");
        }

        JsonObject evaluate(String expression) throws Exception {
            return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).getAsJsonObject("result");
        }

        void waitFor(String condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                JsonObject r = evaluate("!!(" + condition + ")");
                if (r.has("value") && r.get("value").getAsBoolean()) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the page never satisfied: " + condition + "; it shows: "
                    + evaluate("document.body.innerText").get("value"));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(message.get("id").getAsInt());
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
