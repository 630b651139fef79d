package io.conduit.core.engine.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The channel-backed sockets the remote engine gives OkHttp, against a plain socket on loopback. */
class ChannelSocketTest {
    @Test
    void bytesCrossIntactBothWaysAndATimedReadTimesOutThenTheStreamStillWorks() throws Exception {
        byte[] payload = new byte[3 << 20];
        new Random(7).nextBytes(payload);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new LargeBufferSocketFactory().createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
            try (Socket peer = server.accept()) {
                OutputStream toPeer = client.getOutputStream();
                toPeer.write(payload);
                toPeer.flush();
                byte[] received = new byte[payload.length];
                new DataInputStream(peer.getInputStream()).readFully(received);
                assertArrayEquals(payload, received, "client to server");

                peer.getOutputStream().write(payload);
                byte[] back = new byte[payload.length];
                new DataInputStream(client.getInputStream()).readFully(back);
                assertArrayEquals(payload, back, "server to client");

                // OkHttp's check of a pooled connection: a 1 ms read that must time out, not hang.
                client.setSoTimeout(50);
                InputStream in = client.getInputStream();
                long started = System.nanoTime();
                assertThrows(SocketTimeoutException.class, in::read);
                assertTrue(System.nanoTime() - started < 5_000_000_000L, "the timed read gave up");
                peer.getOutputStream().write(42);
                assertEquals(42, in.read(), "the connection is still usable after a timed-out read");
                client.setSoTimeout(0);
                peer.getOutputStream().write(new byte[]{1, 2});
                assertEquals(1, in.read());
                assertEquals(2, in.read());
            }
        }
    }
}
