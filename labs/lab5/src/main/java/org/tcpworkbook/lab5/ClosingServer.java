package org.tcpworkbook.lab5;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * A chat server with one thread per client, and every way of closing: a client leaves, a client
 * is kicked, the server stops accepting, the server shuts down.
 */
public final class ClosingServer implements Closeable {
    /** The line every client gets when the server shuts down, just before its connection ends. */
    public static final String GOODBYE = "服务器关闭 server is shutting down";

    // TODO Task 1: a field for the listening socket.
    // TODO Task 2: the sessions: for each connected client, its accepted socket, its writer and its
    //  thread, in a map that several threads may use at once (ConcurrentHashMap).

    private ClosingServer() {
    }

    /**
     * Listens on {@code address}:{@code port} (0: a port the OS chooses), with room for
     * {@code backlog} connections waiting to be accepted. Binding the port of a server that has
     * just stopped works at once, even while its old connections are in TIME_WAIT.
     *
     * @throws java.net.BindException   if the port is taken
     * @throws IllegalArgumentException if the port or backlog make no sense
     */
    public static ClosingServer bind(InetAddress address, int port, int backlog) throws IOException {
        // TODO Task 1: check the arguments; create an unbound ServerSocket, keep SO_REUSEADDR on
        //  (setReuseAddress(true), before bind), then bind it to the address and port with the backlog.
        throw new UnsupportedOperationException("Task 1: implement ClosingServer.bind (notes: lab5.html#task-bind)");
    }

    /** The port this server listens on: the one asked for, or the one the OS chose. */
    public int port() {
        // TODO Task 1
        throw new UnsupportedOperationException("Task 1: implement ClosingServer.port (notes: lab5.html#task-bind)");
    }

    /**
     * Accepts clients on the caller's thread until {@link #stopAccepting()} or
     * {@link #shutdown(Duration)}, and talks to each one on a session thread of its own. A session
     * reads with the given {@link org.tcpworkbook.chat.LineReader}: a line ends at {@code \n} (a
     * {@code \r} right before it is dropped, a lone {@code \r} is part of the message), and a line
     * longer than {@link org.tcpworkbook.chat.ChatProtocol#MAX_LINE_BYTES} bytes, or not UTF-8, is
     * answered with the {@link org.tcpworkbook.chat.BadLineException}'s error line and ends that
     * session only.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        // TODO Task 2: loop: accept() a new socket, record the client in the sessions, tell
        //  events.connected, start its session thread (UTF-8 lines in, read with a LineReader;
        //  replier's answer + \n out; a BadLineException: send its errorLine(), then end the session),
        //  and go straight back to accept(). Return when accept() throws because the listener is closed.
        //  Each line is a message as it arrived (spaces and empty lines included).
        // TODO Task 3: a session ends when readLine() returns null (the client closed) or throws
        //  (a reset, or its socket was closed here), when the client sends a quit word
        //  (ChatProtocol.isQuit), when the replier's answer is a quit word (sent first) or null (nothing
        //  sent): close its socket, remove it from the sessions, then tell events.left(client, why), why
        //  saying what happened: "closed", "reset", "quit", "kicked", "shut down". Only that client's
        //  session ends.
        throw new UnsupportedOperationException("Task 2: implement ClosingServer.serve (notes: lab5.html#task-serve)");
    }

    /** The clients connected now: address and port, as accept() gave them. */
    public List<InetSocketAddress> clients() {
        // TODO Task 2: a copy, safe to read while session threads come and go.
        throw new UnsupportedOperationException("Task 2: implement ClosingServer.clients (notes: lab5.html#task-serve)");
    }

    /**
     * Disconnects one client: closes its accepted socket. That client reads -1; the others, and the
     * listener, are not affected. Does nothing for a client that is not connected.
     */
    public void kick(InetSocketAddress client) {
        // TODO Task 4: find that client's session, close its socket (its blocked readLine() throws,
        //  and its session ends as in Task 3).
        throw new UnsupportedOperationException("Task 4: implement ClosingServer.kick (notes: lab5.html#task-kick)");
    }

    /**
     * Closes the listening socket only: serve() returns, new connects are refused, the clients
     * connected now go on chatting.
     */
    public void stopAccepting() {
        // TODO Task 5: close the listener, and nothing else.
        throw new UnsupportedOperationException(
                "Task 5: implement ClosingServer.stopAccepting (notes: lab5.html#task-stop-accepting)");
    }

    /**
     * Stops the server gracefully: no new clients; every client gets {@link #GOODBYE}, then its
     * connection is closed; returns once every session thread has ended, or after {@code grace}.
     */
    public void shutdown(Duration grace) {
        // TODO Task 6: stop accepting; send GOODBYE to every client, then close its socket; then join
        //  every session thread, all within grace. Two threads may write to one client now: send
        //  whole lines under a lock.
        throw new UnsupportedOperationException("Task 6: implement ClosingServer.shutdown (notes: lab5.html#task-shutdown)");
    }

    /** Shuts down with a grace of 2 seconds. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(2));
    }
}
