package io.conduit.core.engine.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A socket over a {@link SocketChannel} whose streams move data through one direct buffer each
 * way (see {@link ChannelSocketOutput} and {@link ChannelSocketInput}). A plain socket's streams
 * copy every array they are given into a temporary native buffer, at most 128 KiB at a time, so
 * with a heap buffer in front a tensor was copied twice between OkHttp and the kernel; here it is
 * copied once. Everything else is the channel's own socket adaptor, to which this class delegates.
 */
final class ChannelSocket extends Socket {
    private final SocketChannel channel;
    private final Socket socket;
    private final int bufferSize;
    private InputStream in;
    private OutputStream out;

    ChannelSocket(int bufferSize) throws IOException {
        this.channel = SocketChannel.open();
        this.socket = channel.socket();
        this.bufferSize = bufferSize;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            socket.getInputStream(); // the adaptor's checks: closed, not connected, input shut down
            in = new ChannelSocketInput(channel, socket, bufferSize);
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            socket.getOutputStream(); // the adaptor's checks
            out = new ChannelSocketOutput(channel, bufferSize);
        }
        return out;
    }

    @Override
    public SocketChannel getChannel() {
        return channel;
    }

    // Plain delegation from here on.

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        socket.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        socket.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws java.net.SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws java.net.SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws java.net.SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws java.net.SocketException {
        return socket.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        socket.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws java.net.SocketException {
        socket.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws java.net.SocketException {
        return socket.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws java.net.SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws java.net.SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws java.net.SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws java.net.SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws java.net.SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws java.net.SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws java.net.SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws java.net.SocketException {
        socket.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws java.net.SocketException {
        return socket.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws java.net.SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws java.net.SocketException {
        return socket.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public String toString() {
        return socket.toString();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        socket.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }
}
