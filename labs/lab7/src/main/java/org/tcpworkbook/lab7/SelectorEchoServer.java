package org.tcpworkbook.lab7;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * The line echo server on one thread: a {@link java.nio.channels.Selector} tells which connections
 * can be read or written without blocking, and each connection keeps what it has read and what it
 * must still write in buffers of its own.
 */
public final class SelectorEchoServer implements Closeable {
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;
    private final ServerSocketChannel listener;
    // TODO Task 2: a Selector; a class for one connection's state (its channel, a ByteBuffer for
    //  what was read, one for what is still to write).

    /** A server for the clients that connect to {@code listener} (bound already); made non-blocking here. */
    public SelectorEchoServer(ServerSocketChannel listener) throws IOException {
        // TODO Task 2: open the selector, make the listener non-blocking, register it for OP_ACCEPT.
        this.listener = listener;
    }

    /**
     * Serves every client on the calling thread until {@link #close()}: accepts, reads into the
     * connection's buffer, cuts lines there (the rules of LineReader: \n ends a line, one \r before
     * it is dropped, a lone \r is kept, more than MAX bytes: ChatProtocol.LINE_TOO_LONG then the
     * end), writes each line back with "\n", and closes a connection at its end (-1) or reset.
     */
    public void serve() throws IOException {
        // TODO Task 2: the select loop: accept, read, cut lines, answer.
        // TODO Task 3: a write that takes only part of the answers: keep the rest, ask for
        //  OP_WRITE, and drop OP_WRITE once everything is written.
        throw new UnsupportedOperationException("Task 2: implement SelectorEchoServer.serve, a select loop"
                + " (notes: lab7.html#task-selector)");
    }

    /** How many clients are connected right now. */
    public int connections() {
        throw new UnsupportedOperationException("Task 2: implement SelectorEchoServer.connections"
                + " (notes: lab7.html#task-selector)");
    }

    /** Stops: serve() returns, the listener and every client's channel are closed (waits up to 5 s). */
    @Override
    public void close() throws IOException {
        // TODO Task 4: wake the selector up, let serve() close every channel, wait for it.
        listener.close();
    }
}
