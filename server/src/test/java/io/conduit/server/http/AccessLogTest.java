package io.conduit.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.server.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One access line per request: the token's user, the model and version, the route, the status and the time. */
class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void everyRequestLeavesOneLineWithTheTokensUserAndTheRouteThatRanIt() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "t-ana-0123456789abcdef ana roles=infer\n");
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (TestServers service = new TestServers(dir, b -> b.tokensFile(tokens).accessLog(line -> {
            lines.add(line);
            two.countDown();
        }))) {
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[4]}]}";
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(service.base()
                            + "/v2/models/scale-bias/versions/1.0.0/infer")).header("Authorization", "Bearer t-ana-0123456789abcdef")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(service.base()
                    + "/v2/models/scale-bias/versions/1.0.0/infer")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(two.await(30, TimeUnit.SECONDS), "two lines: " + lines);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(401, refused.statusCode());
            assertTrue(lines.get(0).matches("\\S+ user=ana POST /v2/models/scale-bias/versions/1.0.0/infer model=scale-bias"
                    + " version=1.0.0 route=local-cpu status=200 ms=[0-9.]+"), lines.get(0));
            assertTrue(lines.get(1).matches("\\S+ user=- POST .* status=401 ms=[0-9.]+"), lines.get(1));
        }
    }
}
