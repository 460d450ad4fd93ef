package org.tcpworkbook.lab7;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Objects;

/**
 * The line echo server with a virtual thread per client: the blocking code of labs 3 and 4, and
 * thousands of clients, because a virtual thread blocked in read() holds no platform thread.
 */
public final class VirtualEchoServer implements Closeable {
    private final ServerSocket listener;
    // TODO Task 1: the clients' sockets (for close() and connections()), an executor of virtual threads.

    /** A server for the clients that connect to {@code listener} (bound and listening already). */
    public VirtualEchoServer(ServerSocket listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Accepts clients until {@link #close()}, each served on a virtual thread of its own: every
     * line (read with {@link org.tcpworkbook.chat.LineReader}) is sent back with "\n"; a line too
     * long or not UTF-8 gets the {@link org.tcpworkbook.chat.BadLineException}'s error line, then the end.
     */
    public void serve() throws IOException {
        // TODO Task 1: accept in a loop; run each client's conversation with
        //  Executors.newVirtualThreadPerTaskExecutor() (or Thread.ofVirtual().start).
        throw new UnsupportedOperationException("Task 1: implement VirtualEchoServer.serve, a virtual thread per client"
                + " (notes: lab7.html#task-virtual)");
    }

    /** How many clients are connected right now. */
    public int connections() {
        throw new UnsupportedOperationException("Task 1: implement VirtualEchoServer.connections"
                + " (notes: lab7.html#task-virtual)");
    }

    /** Stops: closes the listener and every client's socket, and waits (up to 5 s) for the conversations to end. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("Task 1: implement VirtualEchoServer.close"
                + " (notes: lab7.html#task-virtual)");
    }
}
