package org.tcpworkbook.lab4;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * The chat server for many clients at once: each client has its own conversation on its own
 * thread, either a new thread per client or one of a fixed pool of workers.
 */
public final class ChatServer implements Closeable {
    private final ServerSocket listener;
    private final int workers;
    private final Duration idleTimeout;
    // TODO Tasks 1-4: whatever serve(), online(), messages() and close() need to share.

    /**
     * A server for the clients that connect to {@code listener} (bound and listening already), each
     * dropped after {@code idleTimeout} of silence. {@code workers} is 0 for a new thread per
     * client, with no limit; otherwise at most that many clients are served at once, by a fixed
     * pool of threads, and a client that arrives while all of them are busy is sent
     * {@link ChatProtocol#BUSY} and closed.
     */
    public ChatServer(ServerSocket listener, int workers, Duration idleTimeout) {
        // TODO Task 2: reject a negative number of workers; create the pool when workers > 0.
        this.listener = listener;
        this.workers = workers;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Accepts clients until {@link #close()} and starts a conversation with each, so that a slow
     * or silent client never keeps the others waiting. Each conversation reads with the given
     * {@link org.tcpworkbook.chat.LineReader}: a line ends at {@code \n} (a {@code \r} right before
     * it is dropped, a lone {@code \r} is part of the message), and a line longer than
     * {@link ChatProtocol#MAX_LINE_BYTES} bytes, or not UTF-8, is answered with the
     * {@link org.tcpworkbook.chat.BadLineException}'s error line and ends that conversation only: a
     * client cannot make the server read without bound, and the others chat on.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        // TODO Task 1: accept in a loop; give each client's conversation (lab 3's, with the idle
        //  timeout, reading with a LineReader: a BadLineException gets its errorLine() + "\n", then
        //  the end) a new Thread, so that accept() is called again at once. Tell events.connected
        //  and events.left (after closing the client's socket) from the conversation's thread.
        // TODO Task 2: with workers > 0, run conversations on a fixed pool of that many threads; a
        //  client that comes while all are busy gets ChatProtocol.BUSY and is closed (events.turnedAway);
        //  read what it had sent before closing it, briefly (notes: lab4.html#busy-close).
        throw new UnsupportedOperationException("Task 1: implement ChatServer.serve, a thread per client"
                + " (notes: lab4.html#task-threads)");
    }

    /** The clients connected right now, in the order they came. */
    public List<InetSocketAddress> online() {
        // TODO Task 3: shared by every conversation's thread.
        throw new UnsupportedOperationException("Task 3: implement ChatServer.online (notes: lab4.html#task-shared)");
    }

    /** How many messages the server has answered since it started, all clients together. */
    public long messages() {
        // TODO Task 3: counted by every conversation's thread.
        throw new UnsupportedOperationException("Task 3: implement ChatServer.messages (notes: lab4.html#task-shared)");
    }

    /**
     * Stops the server: closes the listener (serve() returns, new clients are refused), closes every
     * client's socket (a conversation blocked in read() ends at once), and waits, up to a
     * deadline, for every conversation's thread to end.
     */
    @Override
    public void close() {
        // TODO Task 4
        throw new UnsupportedOperationException("Task 4: implement ChatServer.close (notes: lab4.html#task-stop)");
    }
}
