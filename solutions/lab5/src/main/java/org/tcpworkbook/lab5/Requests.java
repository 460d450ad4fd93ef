package org.tcpworkbook.lab5;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.tcpworkbook.chat.ChatProtocol;

/** A request/response client: the end of the request is the end of the stream. */
public final class Requests {
    private Requests() {
    }

    // tag::ask[]
    /**
     * Connects to {@code server}, sends {@code request} (UTF-8), says "I am done sending" by
     * shutting down its output, and returns the whole response: everything the server sends until
     * it closes. {@code timeout} bounds the connect and each read.
     *
     * @throws java.net.SocketTimeoutException if the connect or a read takes longer than {@code timeout}
     * @throws IllegalArgumentException        if the timeout is not positive
     */
    public static String ask(InetSocketAddress server, String request, Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        int millis = (int) timeout.toMillis();
        if (timeout.toNanosPart() % 1_000_000 != 0) {
            millis++;                                        // 0.5 ms waits 1 ms: 0 would mean "wait for ever"
        }
        try (Socket socket = new Socket()) {
            socket.connect(server, millis);                  // 1. connect, bounded
            socket.setSoTimeout(millis);                     //    and every read bounded too
            OutputStream out = socket.getOutputStream();     //    (closing this stream would close the socket)
            out.write(request.getBytes(ChatProtocol.CHARSET)); // 2. the whole request
            out.flush();
            socket.shutdownOutput();                         // 3. FIN: "I am done sending, now answer"
            byte[] response = socket.getInputStream().readAllBytes(); // 4. everything, up to -1
            return new String(response, ChatProtocol.CHARSET);
        }                                                    // 5. close
    }
    // end::ask[]
}
