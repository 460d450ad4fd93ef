package org.tcpworkbook.lab5;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A request/response client: the end of the request is the end of the stream. */
public final class Requests {
    private Requests() {
    }

    /**
     * Connects to {@code server}, sends {@code request} (UTF-8), says "I am done sending" by
     * shutting down its output, and returns the whole response: everything the server sends until
     * it closes. {@code timeout} bounds the connect and each read.
     *
     * @throws java.net.SocketTimeoutException if the connect or a read takes longer than {@code timeout}
     * @throws IllegalArgumentException        if the timeout is not positive
     */
    public static String ask(InetSocketAddress server, String request, Duration timeout) throws IOException {
        // TODO Task 8: connect with the timeout, set it as the read timeout too; write the request in
        //  UTF-8 and flush; socket.shutdownOutput() (not close(): that would end the reading half too);
        //  read everything up to -1; close the socket; return the response decoded as UTF-8.
        throw new UnsupportedOperationException("Task 8: implement Requests.ask (notes: lab5.html#task-half-close)");
    }
}
