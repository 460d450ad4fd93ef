package org.tcpworkbook.lab2;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.tcpworkbook.chat.ChatProtocol;

/** The client side of the chat protocol: one connection, one line at a time. */
public final class ChatClient implements Closeable {
    // TODO Task 1: fields for the socket, and for reading and writing it in UTF-8
    //  (ChatProtocol.CHARSET: never the platform's default).

    private ChatClient() {
    }

    /**
     * Connects to {@code server}, giving up after {@code connectTimeout}; every later
     * {@link #receive()} waits at most {@code readTimeout}.
     *
     * @throws java.net.ConnectException       if nothing listens there
     * @throws java.net.SocketTimeoutException if the connect does not complete in time
     * @throws IllegalArgumentException        if a timeout is not positive (0 would mean "forever")
     */
    public static ChatClient connect(InetSocketAddress server, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        // TODO Task 1: create a Socket, connect it with the connect timeout, set the read timeout
        //  (setSoTimeout); close the socket if any of that fails.
        throw new UnsupportedOperationException(
                "Task 1: implement ChatClient.connect (notes: lab2.html#task-connect)");
    }

    /**
     * Sends one message: its UTF-8 bytes and a {@code \n}, flushed at once.
     *
     * @throws IllegalArgumentException if the message holds a line break (it would become two)
     */
    public void send(String message) throws IOException {
        // TODO Task 2: write the message and '\n' in UTF-8, then flush.
        throw new UnsupportedOperationException(
                "Task 2: implement ChatClient.send (notes: lab2.html#task-send)");
    }

    /**
     * The next message from the server, without its line end; {@code null} once the server has
     * closed the connection.
     *
     * @throws java.net.SocketTimeoutException if no whole line arrives within the read timeout
     */
    public String receive() throws IOException {
        // TODO Tasks 3-5: one read is not one message. Return exactly one line, however the bytes
        //  arrive; null at end of stream; let the read timeout's exception through.
        throw new UnsupportedOperationException(
                "Task 3: implement ChatClient.receive (notes: lab2.html#task-receive)");
    }

    /** Closes the connection: the server reads end of stream (-1). */
    @Override
    public void close() throws IOException {
        // TODO Task 6: close the socket.
        throw new UnsupportedOperationException(
                "Task 6: implement ChatClient.close (notes: lab2.html#task-close)");
    }
}
