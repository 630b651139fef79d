package io.conduit.core.engine.remote;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ErrorCode;
import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The V2 calls the remote engine makes, over one shared {@link OkHttpClient} (its connection pool
 * and dispatcher are shared by every call; per-call timeouts come from {@code newBuilder()}).
 * Nothing beyond the V2 spec and the binary tensor extension is used, so the far side may be
 * Conduit, Triton or KServe.
 */
final class V2HttpClient {
    private final OkHttpClient client;
    private final String token;

    V2HttpClient(OkHttpClient client, String token) {
        this.client = client;
        this.token = token;
    }

    /** Whether {@code GET /v2} lists the binary tensor data extension. */
    boolean supportsBinary(Endpoint endpoint, Duration timeout) throws IOException, RemoteStatusException {
        try (Response response = call(get(endpoint.base() + "/v2"), timeout)) {
            String body = requireOk(response);
            JsonElement root = JsonParser.parseString(body);
            if (root.isJsonObject() && root.getAsJsonObject().has("extensions")) {
                for (JsonElement e : root.getAsJsonObject().getAsJsonArray("extensions")) {
                    if (e.isJsonPrimitive() && e.getAsString().equals("binary_tensor_data")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException malformed) {
            throw new IOException("GET /v2 answered something other than V2 server metadata: " + malformed.getMessage());
        }
    }

    /** Whether {@code GET /v2/health/ready} answers 200. */
    boolean ready(Endpoint endpoint, Duration timeout) throws IOException {
        try (Response response = call(get(endpoint.base() + "/v2/health/ready"), timeout)) {
            return response.code() == 200;
        }
    }

    /** The model's configuration, {@code GET /v2/models/NAME/config} (Triton's model configuration extension). */
    JsonObject config(Endpoint endpoint, String model, Duration timeout) throws IOException, RemoteStatusException {
        try (Response response = call(get(endpoint.base() + "/v2/models/" + encode(model) + "/config"), timeout)) {
            String body = requireOk(response);
            try {
                return JsonParser.parseString(body).getAsJsonObject();
            } catch (RuntimeException malformed) {
                throw new IOException("GET /v2/models/" + model + "/config answered something other than a JSON object");
            }
        }
    }

    InferResponse infer(Endpoint endpoint, String model, String version, String packageDigest, InferRequest request,
                        boolean binary, Duration timeout, io.conduit.core.protocol.TensorAllocator outputs,
                        AnswerBounds bounds)
            throws IOException, RemoteStatusException {
        V2Body body = V2Codec.encodeRequest(request, binary);
        Request.Builder http = new Request.Builder()
                .url(endpoint.base() + "/v2/models/" + encode(model) + "/versions/" + encode(version) + "/infer")
                .header(io.conduit.core.protocol.PackageDigest.HEADER, packageDigest)
                .post(new V2RequestBody(body));
        if (body.binary()) {
            http.header(V2Body.HEADER_LENGTH, String.valueOf(body.header().length));
        }
        authorize(http);
        try (Response response = call(http.build(), timeout)) {
            if (response.code() != 200) {
                requireOk(response);
            }
            String headerLength = response.header(V2Body.HEADER_LENGTH);
            long most = bounds.maxBodyBytes(binary);
            long declared = response.body().contentLength();
            if (declared > most) {
                throw bounds.tooLarge(declared + " bytes (its Content-Length) where at most " + most + " fit");
            }
            try (InputStream in = new io.conduit.core.protocol.ChannelInputStream(
                    new BoundedChannel(response.body().source(), most, bounds::tooLarge))) {
                return V2Codec.decodeResponse(in, headerLength == null ? null : Long.parseLong(headerLength.trim()),
                        outputs, bounds);
            } catch (io.conduit.core.protocol.ProtocolException e) {
                if (e.getCause() instanceof IOException cut) {
                    throw cut; // the connection failed mid-answer: a transport failure, not a bad answer
                }
                throw e;
            }
        }
    }

    private Response call(Request request, Duration timeout) throws IOException {
        return client.newBuilder().callTimeout(timeout).build().newCall(request).execute();
    }

    private Request get(String url) {
        Request.Builder b = new Request.Builder().url(url).get();
        authorize(b);
        return b.build();
    }

    private void authorize(Request.Builder b) {
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
    }

    private static String requireOk(Response response) throws IOException, RemoteStatusException {
        String text = response.body() == null ? "" : response.body().string();
        if (response.code() == 200) {
            return text;
        }
        String message = text;
        ErrorCode code = ErrorCode.INTERNAL;
        try {
            JsonElement json = JsonParser.parseString(text);
            if (json.isJsonObject() && json.getAsJsonObject().has("error")) {
                message = json.getAsJsonObject().get("error").getAsString();
            }
            if (json.isJsonObject() && json.getAsJsonObject().has("code")) {
                code = ErrorCode.bySearchCode(json.getAsJsonObject().get("code").getAsString());
            }
        } catch (RuntimeException notJson) {
            // keep the raw text
        }
        throw new RemoteStatusException(response.code(), code, message.isBlank() ? "HTTP " + response.code() : message);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Streams an encoded V2 body: the JSON header, then each tensor's bytes, without joining them first.
     * Tensors go to the sink in pieces that fit Okio's segment pool (64 KiB): Okio copies what it is
     * given into 8 KiB segments and passes complete ones on to the socket, which returns them to the
     * pool. Writing a whole 25 MB tensor at once filled 3,000 fresh segments instead: 25 MB of garbage
     * per call, zeroed on allocation, most of the client's GC work (measured with JFR in {@code bench/}).
     */
    private static final class V2RequestBody extends RequestBody {
        private static final int PIECE = 32 * 1024;
        private final V2Body body;

        V2RequestBody(V2Body body) {
            this.body = body;
        }

        @Override
        public MediaType contentType() {
            return MediaType.get(body.contentType());
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(body.header());
            for (ByteBuffer section : body.sections()) {
                ByteBuffer view = section.duplicate();
                int end = view.limit();
                while (view.position() < end) {
                    view.limit(Math.min(end, view.position() + PIECE));
                    sink.write(view);
                }
            }
        }
    }
}
