package io.conduit.core.engine.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets whose streams read and write in 1 MiB pieces through direct buffers. OkHttp moves data in
 * Okio's 8 KiB segments, one socket call per segment: a 25 MB tensor took some 3,000 system calls
 * each way and held loopback transfers to about half of what the server sustains (measured in
 * {@code bench/}). With these streams, Okio's segments are copied once into native memory and the
 * socket sees large calls (see {@link ChannelSocket}).
 */
final class LargeBufferSocketFactory extends SocketFactory {
    static final int BUFFER = 1 << 20;

    @Override
    public Socket createSocket() throws IOException {
        return new ChannelSocket(BUFFER);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }
}
