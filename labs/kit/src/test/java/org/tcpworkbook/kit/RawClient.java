package org.tcpworkbook.kit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket client for the kit's own tests: the kind of code a student writes. */
final class RawClient implements AutoCloseable {
    final Socket socket = new Socket();

    RawClient(InetSocketAddress target) throws IOException {
        socket.connect(target, 2000);
        socket.setSoTimeout(2000);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads exactly {@code n} bytes (bounded by the socket's timeout). */
    String readBytes(int n) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    int read() throws IOException {
        return socket.getInputStream().read();
    }

    InputStream in() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
