package io.conduit.server.telemetry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The agent's side of telemetry: every {@code period} it sends the records made since the last accepted
 * batch to the service ({@code POST /conduit/v1/telemetry}). A batch the service did not take is sent
 * again with the next one; records older than the agent's window are dropped, never the agent's work.
 * Opt out with {@code telemetry.upload=false}.
 */
public final class TelemetryForwarder implements AutoCloseable {
    /** Records per request: well under the service's 16 MiB limit at about 300 bytes each. */
    static final int BATCH = 5000;
    private final Telemetry telemetry;
    private final URI service;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private long cursor;

    public TelemetryForwarder(Telemetry telemetry, URI service, String token, Duration period) {
        this.telemetry = telemetry;
        this.service = service;
        this.token = token == null ? "" : token;
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "conduit-telemetry");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends what is pending now, in batches of at most {@value #BATCH}; true when the service took it all. */
    public synchronized boolean flush() {
        while (true) {
            Telemetry.Pending batch = telemetry.pending(cursor, BATCH);
            if (batch.samples().isEmpty()) {
                cursor = batch.upTo();
                return true;
            }
            if (!send(batch.samples())) {
                return false;
            }
            cursor = batch.upTo();
        }
    }

    private boolean send(List<Telemetry.Sample> pending) {
        JsonArray samples = new JsonArray();
        pending.forEach(s -> samples.add(s.toJson()));
        JsonObject body = new JsonObject();
        body.add("samples", samples);
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve(TelemetryHandler.INGEST))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            if (http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return true;
            }
        } catch (java.io.IOException e) {
            // not reachable now: the records wait for the next round
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
