package org.tcpworkbook.lab3;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/** The chat server: one client at a time, turn by turn, then the next. */
public final class ChatServer implements Closeable {
    // TODO Task 1: a field for the listening socket, and whatever serve() and close() need.

    private ChatServer() {
    }

    /**
     * Listens on {@code address}:{@code port} (0: a port the OS chooses), with room for
     * {@code backlog} connections waiting to be accepted. A client silent for {@code idleTimeout}
     * is dropped.
     *
     * @throws java.net.BindException   if the port is taken
     * @throws IllegalArgumentException if the port, backlog or timeout make no sense
     */
    public static ChatServer bind(InetAddress address, int port, int backlog, Duration idleTimeout)
            throws IOException {
        // TODO Task 1: check the arguments, then create the ServerSocket: bind and listen with the backlog.
        throw new UnsupportedOperationException("Task 1: implement ChatServer.bind (notes: lab3.html#task-bind)");
    }

    /** The port this server listens on: the one asked for, or the one the OS chose. */
    public int port() {
        // TODO Task 1
        throw new UnsupportedOperationException("Task 1: implement ChatServer.port (notes: lab3.html#task-bind)");
    }

    /**
     * Serves clients one after another until {@link #close()}: accepts one, answers each of its
     * messages with {@code replier}, and goes back to accept when the conversation is over.
     * Messages are read with the given {@link org.tcpworkbook.chat.LineReader}: a line ends at
     * {@code \n} (a {@code \r} right before it is dropped, a lone {@code \r} is part of the message),
     * and a line longer than {@link org.tcpworkbook.chat.ChatProtocol#MAX_LINE_BYTES} bytes, or not
     * UTF-8, is answered with the {@link org.tcpworkbook.chat.BadLineException}'s error line, and that
     * conversation ends; the server goes on to the next client.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        // TODO Tasks 2-5: accept, tell events who connected, converse turn by turn (UTF-8 lines: new
        //  LineReader(socket.getInputStream()), and on BadLineException send e.errorLine() + "\n", then end),
        //  end on -1 (the client left), a quit word either way, or the idle timeout; close the
        //  accepted socket, tell events why it ended, and accept the next client.
        throw new UnsupportedOperationException("Task 2: implement ChatServer.serve (notes: lab3.html#task-converse)");
    }

    /**
     * Stops the server: closes the listener (a serve() blocked in accept() returns at once) and
     * the connection of the client being served, if any.
     */
    @Override
    public void close() {
        // TODO Task 6
        throw new UnsupportedOperationException("Task 6: implement ChatServer.close (notes: lab3.html#task-stop)");
    }
}
