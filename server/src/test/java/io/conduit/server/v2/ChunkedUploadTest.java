package io.conduit.server.v2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.server.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary request without Content-Length (chunked) whose header declares a 384 MiB tensor and whose body
 * brings 3 MiB: the service reserves about what arrived, not what was declared. Before, it reserved the
 * whole tensor at once from a kilobyte of header.
 */
class ChunkedUploadTest {
    @TempDir
    Path dir;

    @Test
    void aChunkedBodyDeclaringHundredsOfMegabytesReservesAboutWhatArrives() throws Exception {
        long declared = 384L << 20;
        int sent = 3 << 20;
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1," + declared / 4 + "],"
                + "\"parameters\":{\"binary_data_size\":" + declared + "}}]}";
        try (TestServers service = TestServers.start(dir)) {
            long before = directBytes();
            String answer;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.server().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v2/models/scale-bias/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " + header.length()
                        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                chunk(out, header.getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 3; i++) {
                    chunk(out, new byte[sent / 3]);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // the body ends far short of its tensor
                out.flush();
                try (InputStream in = socket.getInputStream()) {
                    answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            long grown = directBytes() - before;
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("the body ends after " + sent + " bytes of binary data"), answer);
            // Buffers that were let go are freed only by a garbage collection, so what the request reserved is still counted here.
            assertTrue(grown < 64L << 20, "direct memory grew by " + (grown >> 20) + " MiB for " + (sent >> 20)
                    + " MiB received (" + (declared >> 20) + " MiB declared)");
        }
    }

    private static void chunk(OutputStream out, byte[] bytes) throws Exception {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
