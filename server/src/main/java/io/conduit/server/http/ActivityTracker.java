package io.conduit.server.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Knows how long the server has been idle, so the agent can exit after a quiet spell: a request
 * counts from its arrival until its response is complete, so a long inference is never mistaken
 * for silence.
 */
public final class ActivityTracker extends Handler.Wrapper {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());

    public ActivityTracker(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        inFlight.incrementAndGet();
        lastActivityNanos.set(System.nanoTime());
        Callback tracked = Callback.from(callback, () -> {
            lastActivityNanos.set(System.nanoTime());
            inFlight.decrementAndGet();
        });
        try {
            if (super.handle(request, response, tracked)) {
                return true;
            }
        } catch (Exception | Error e) {
            inFlight.decrementAndGet();
            throw e;
        }
        inFlight.decrementAndGet(); // not handled: Jetty answers 404 itself and never calls back
        return false;
    }

    /** Nanoseconds since the last request ended, or 0 while one is in flight. */
    public long idleNanos() {
        return inFlight.get() > 0 ? 0 : System.nanoTime() - lastActivityNanos.get();
    }
}
