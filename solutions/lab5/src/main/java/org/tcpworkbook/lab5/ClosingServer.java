package org.tcpworkbook.lab5;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * A chat server with one thread per client, and every way of closing: a client leaves, a client
 * is kicked, the server stops accepting, the server shuts down.
 */
public final class ClosingServer implements Closeable {
    /** The line every client gets when the server shuts down, just before its connection ends. */
    public static final String GOODBYE = "服务器关闭 server is shutting down";

    private final ServerSocket listener;
    private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    private ClosingServer(ServerSocket listener) {
        this.listener = listener;
    }

    // tag::bind[]
    /**
     * Listens on {@code address}:{@code port} (0: a port the OS chooses), with room for
     * {@code backlog} connections waiting to be accepted. Binding the port of a server that has
     * just stopped works at once, even while its old connections are in TIME_WAIT.
     *
     * @throws java.net.BindException   if the port is taken
     * @throws IllegalArgumentException if the port or backlog make no sense
     */
    public static ClosingServer bind(InetAddress address, int port, int backlog) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("the backlog must be at least 1, not " + backlog);
        }
        ServerSocket listener = new ServerSocket();          // 1. create, not bound yet
        try {
            listener.setReuseAddress(true);                  // 2. SO_REUSEADDR, before bind: a restart may
                                                             //    bind while old connections are in TIME_WAIT
            listener.bind(new InetSocketAddress(address, port), backlog); // 3. bind and listen
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return new ClosingServer(listener);
    }
    // end::bind[]

    /** The port this server listens on: the one asked for, or the one the OS chose. */
    public int port() {
        return listener.getLocalPort();
    }

    // tag::serve[]
    /**
     * Accepts clients on the caller's thread until {@link #stopAccepting()} or
     * {@link #shutdown(Duration)}, and talks to each one on a session thread of its own.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();                  // a NEW socket for each client
            } catch (SocketException e) {
                if (listener.isClosed()) {
                    return;                                  // stopAccepting() or shutdown()
                }
                throw e;
            }
            InetSocketAddress client = (InetSocketAddress) socket.getRemoteSocketAddress();
            Session session;
            try {
                session = new Session(socket, client);
            } catch (IOException e) {                        // gone already: nothing to serve
                socket.close();
                continue;
            }
            sessions.put(client, session);
            if (shuttingDown) {                              // shutdown() ran while we accepted
                sessions.remove(client);
                socket.close();
                continue;
            }
            events.connected(client);
            session.thread = new Thread(() -> converse(session, replier, events), "session-" + client.getPort());
            session.thread.start();                          // the listener goes back to accept() at once
        }
    }
    // end::serve[]

    // tag::converse[]
    /** One client's session, on its own thread: until it closes, resets, is kicked, or the server stops. */
    private void converse(Session session, Replier replier, ServerEvents events) {
        String why = "closed the connection";
        try (Socket socket = session.socket) {               // closed however the session ends
            LineReader in = new LineReader(socket.getInputStream()); // UTF-8 lines, MAX_LINE_BYTES at most
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (BadLineException e) {               // too long, or not UTF-8: this client only
                    session.send(e.errorLine());
                    why = "sent a line the protocol refuses: " + e.getMessage();
                    break;
                }
                if (line == null) {
                    break;                                   // -1: the client closed (FIN)
                }
                if (ChatProtocol.isQuit(line)) {
                    why = "quit";                            // the client's quit word: no answer, the end
                    break;
                }
                String answer = replier.replyTo(line);
                if (answer == null) {
                    why = "was given no answer";             // null: the end, at once
                    break;
                }
                session.send(answer);
                if (ChatProtocol.isQuit(answer)) {
                    why = "was sent the quit word";          // the server's quit word: sent, then the end
                    break;
                }
            }
        } catch (IOException e) {                            // a reset, a kick, the shutdown: this client only
            why = session.kicked ? "was kicked" : shuttingDown ? "server shut down" : "was lost: " + e.getMessage();
        } finally {
            sessions.remove(session.client, session);        // after the close, before telling
        }
        events.left(session.client, why);
    }
    // end::converse[]

    /** The clients connected now: address and port, as accept() gave them. */
    public List<InetSocketAddress> clients() {
        return List.copyOf(sessions.keySet());
    }

    // tag::kick[]
    /**
     * Disconnects one client: closes its accepted socket. That client reads -1; the others, and the
     * listener, are not affected. Does nothing for a client that is not connected.
     */
    public void kick(InetSocketAddress client) {
        Session session = sessions.get(client);
        if (session != null) {
            session.kicked = true;
            session.close();                                 // its session's readLine() throws at once
        }
    }
    // end::kick[]

    // tag::stop-accepting[]
    /**
     * Closes the listening socket only: serve() returns, new connects are refused, the clients
     * connected now go on chatting.
     */
    public void stopAccepting() {
        try {
            listener.close();                                // accept() throws; accepted sockets stay open
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }
    // end::stop-accepting[]

    // tag::shutdown[]
    /**
     * Stops the server gracefully: no new clients; every client gets {@link #GOODBYE}, then its
     * connection is closed; returns once every session thread has ended, or after {@code grace}.
     */
    public void shutdown(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        shuttingDown = true;
        stopAccepting();                                     // 1. nobody new
        List<Session> open = List.copyOf(sessions.values());
        for (Session session : open) {
            session.sendQuietly(GOODBYE);                    // 2. say goodbye,
            session.close();                                 // 3. then FIN: the client reads -1
        }
        for (Session session : open) {                      // 4. wait for the session threads, bounded
            Thread thread = session.thread;
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (thread == null || left <= 0) {
                continue;
            }
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
    // end::shutdown[]

    /** Shuts down with a grace of 2 seconds. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(2));
    }

    // tag::session[]
    /** One accepted socket, its writer (shared by its session thread and shutdown), and its thread. */
    private static final class Session {
        final Socket socket;
        final InetSocketAddress client;
        final Writer out;
        volatile Thread thread;
        volatile boolean kicked;

        Session(Socket socket, InetSocketAddress client) throws IOException {
            this.socket = socket;
            this.client = client;
            this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET));
        }

        /** One whole line, never mixed with a line another thread sends. */
        synchronized void send(String line) throws IOException {
            out.write(line);
            out.write('\n');
            out.flush();
        }

        void sendQuietly(String line) {
            try {
                send(line);
            } catch (IOException ignored) {
                // that connection is broken already: closing it is all that is left
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }
    // end::session[]
}
