package io.conduit.server.feedback;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends the agent's spooled feedback to the service ({@code POST /conduit/v1/feedback}) on a background
 * thread: at once when a note arrives, and again after failures with a doubling pause (up to a minute).
 * A note leaves the queue only when the service has answered that it is stored (or already was: the
 * note's id makes a retry harmless), so nothing is lost and nothing is counted twice.
 */
public final class FeedbackUploader implements AutoCloseable {
    private static final long MAX_PAUSE_MS = 60_000;
    private final FeedbackSpool spool;
    private final URI service;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile int uploaded;

    public FeedbackUploader(FeedbackSpool spool, URI service, String token) {
        this.spool = spool;
        this.service = service;
        this.token = token == null ? "" : token;
        this.thread = new Thread(this::loop, "conduit-feedback-upload");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for an upload now (a note was just spooled). */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** How many notes this uploader has had acknowledged. */
    int uploaded() {
        return uploaded;
    }

    private void loop() {
        long pause = 1000;
        while (running) {
            boolean allSent;
            try {
                allSent = uploadPending();
            } catch (RuntimeException e) {
                allSent = false; // the spool could not be read just now: try again later, never stop uploading
            }
            pause = allSent ? 30_000 : Math.min(MAX_PAUSE_MS, pause * 2);
            synchronized (signal) {
                try {
                    signal.wait(allSent ? pause : Math.max(1000, pause / 4));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (allSent) {
                pause = 1000;
            }
        }
    }

    /** Sends every pending note; false when the service could not take them all now. */
    boolean uploadPending() {
        for (JsonObject note : spool.pending()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve("/conduit/v1/feedback"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(note.toString()));
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 201 || status == 400 || status == 409 || status == 413 || status == 422) {
                    // stored, already stored, or refused for good as malformed (it would block every later one);
                    // 404, 403 or 405 mean the wrong server (Triton, a proxy) and are retried, never dropped
                    spool.markUploaded(note.get("id").getAsString());
                    uploaded++;
                } else {
                    return false; // 503, 5xx, 401 (token not set yet), 429: try again later
                }
            } catch (IOException e) {
                return false; // the service is not reachable now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
