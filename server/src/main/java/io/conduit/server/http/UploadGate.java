package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.protocol.V2Body;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Admits a request with a body only while {@link UploadLimits} allow: a slot among its caller's uploads
 * and its declared bytes in the in-flight budgets (JSON's own, smaller one too), all released when its
 * response completes. Refusing at once with 503 keeps stalled or oversized uploads from taking every
 * worker thread and the heap, so health checks and everyone else's calls still get through. Sits behind
 * {@link AuthHandler}, because the caller it counts against is the token's. The gRPC port admits its
 * messages through {@link #admit(Caller, String, long)}, so one caller's slots and the byte budget are shared
 * by both ports.
 */
public final class UploadGate extends Handler.Wrapper {
    private final UploadLimits limits;
    private final boolean perAddress;
    private final long maxBody;
    private final long maxJsonBody;
    private final ByteBudget bytes;
    private final ByteBudget json;
    private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

    /**
     * {@code perAddress}: count uploads per client address (no tokens, so every caller is "anonymous");
     * {@code maxBody} and {@code maxJsonBody}: the largest bodies the handlers accept, which is what a body
     * without a Content-Length reserves, and what each budget holds at least (or such a body would never fit).
     */
    public UploadGate(Handler next, UploadLimits limits, boolean perAddress, long maxBody, long maxJsonBody) {
        super(next);
        this.limits = limits;
        this.perAddress = perAddress;
        this.maxBody = maxBody;
        this.maxJsonBody = Math.min(maxBody, maxJsonBody);
        this.bytes = new ByteBudget(Math.max(limits.inFlightBytes(), maxBody));
        this.json = new ByteBudget(Math.max(limits.jsonInFlightBytes(), this.maxJsonBody));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || request.getLength() == 0) {
            return super.handle(request, response, callback);
        }
        String caller = perAddress ? Request.getRemoteAddr(request) : AuthHandler.caller(request).user();
        boolean isJson = request.getHeaders().get(V2Body.HEADER_LENGTH) == null
                && !Request.getPathInContext(request).startsWith(io.conduit.core.registry.RegistryApi.PREFIX + "/blobs/");
        // A body longer than the handler takes is refused there (413) after reading at most its limit.
        long size = Math.min(request.getLength() > 0 ? request.getLength() : Long.MAX_VALUE, isJson ? maxJsonBody : maxBody);
        Semaphore mine = slots.computeIfAbsent(caller, k -> new Semaphore(limits.perCaller()));
        Runnable release;
        try {
            release = admit(caller, mine, size, isJson);
        } catch (ConduitException e) {
            HttpExchange.error(response, callback, e);
            return true;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable once = () -> {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        };
        Callback releasing = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                once.run();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                once.run();
                super.failed(x);
            }
        };
        try {
            boolean handled = super.handle(request, response, releasing);
            if (!handled) {
                once.run();
            }
            return handled;
        } catch (Exception | Error e) {
            once.run();
            throw e;
        }
    }

    /**
     * Admits a binary message of {@code size} bytes received outside the HTTP chain (the gRPC port) from
     * {@code caller} at {@code address}: a slot among the caller's uploads (the address's, without tokens)
     * and the bytes in the in-flight budget, or {@link ErrorCode#OVERLOADED} naming the limit reached.
     * Returns what gives them back; run it once the answer is sent.
     */
    public Runnable admit(Caller caller, String address, long size) {
        String key = perAddress ? address : caller.user();
        return admit(key, slots.computeIfAbsent(key, k -> new Semaphore(limits.perCaller())), Math.min(size, maxBody),
                false);
    }

    /** Takes a slot and the bytes, or nothing and a 503 that says which limit was reached. */
    private Runnable admit(String caller, Semaphore mine, long size, boolean isJson) {
        if (!mine.tryAcquire()) {
            throw new ConduitException(ErrorCode.OVERLOADED, caller + " already has " + limits.perCaller()
                    + " uploads in progress; retry when one has finished");
        }
        if (!bytes.tryReserve(size)) {
            mine.release();
            throw new ConduitException(ErrorCode.OVERLOADED, "the server is receiving as much as it holds at once ("
                    + (bytes.capacity() >> 20) + " MiB); retry shortly");
        }
        if (isJson && !json.tryReserve(size)) {
            bytes.release(size);
            mine.release();
            throw new ConduitException(ErrorCode.OVERLOADED, "the server is parsing as much JSON as it holds at once ("
                    + (json.capacity() >> 20) + " MiB); retry shortly, or send tensors as binary data");
        }
        return () -> {
            if (isJson) {
                json.release(size);
            }
            bytes.release(size);
            mine.release();
        };
    }
}
