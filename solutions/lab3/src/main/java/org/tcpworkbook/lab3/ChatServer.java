package org.tcpworkbook.lab3;

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
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/** The chat server: one client at a time, turn by turn, then the next. */
public final class ChatServer implements Closeable {
    private final ServerSocket listener;
    private final int idleMillis;
    private volatile Socket current;

    private ChatServer(ServerSocket listener, int idleMillis) {
        this.listener = listener;
        this.idleMillis = idleMillis;
    }

    // tag::bind[]
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
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("the backlog must be at least 1, not " + backlog);
        }
        Duration longest = Duration.ofMillis(Integer.MAX_VALUE);    // what setSoTimeout can take
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(longest) > 0) {
            throw new IllegalArgumentException("the idle timeout must be positive and at most "
                    + longest.toMillis() + " ms, not " + idleTimeout);
        }
        // setSoTimeout counts whole milliseconds, and 0 would mean "wait for ever": round up
        long idleMillis = idleTimeout.plusNanos(999_999).toMillis();
        // 1. create, 2. bind and 3. listen, in one step
        ServerSocket listener = new ServerSocket(port, backlog, address);
        return new ChatServer(listener, (int) idleMillis);
    }
    // end::bind[]

    /** The port this server listens on: the one asked for, or the one the OS chose. */
    public int port() {
        return listener.getLocalPort();
    }

    // tag::serve[]
    /**
     * Serves clients one after another until {@link #close()}: accepts one, answers each of its
     * messages with {@code replier}, and goes back to accept when the conversation is over.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        while (true) {
            Socket client;
            try {
                client = listener.accept();                  // 4. wait for a client
            } catch (SocketException e) {
                if (listener.isClosed()) {
                    return;                                  //    close() stopped the server
                }
                throw e;
            }
            InetSocketAddress from = (InetSocketAddress) client.getRemoteSocketAddress();
            events.connected(from);
            String why;
            try (client) {                                   // 7. closed when the conversation ends
                current = client;
                if (listener.isClosed()) {
                    why = "was disconnected: the server stops";  //    close() came while we accepted
                } else {
                    client.setSoTimeout(idleMillis);
                    why = converse(client, replier);
                }
            } catch (SocketTimeoutException e) {
                why = "was silent too long";
            } catch (IOException e) {
                why = listener.isClosed() ? "was disconnected: the server stops" : "was lost: " + e.getMessage();
            } finally {
                current = null;
            }
            events.left(from, why);
        }
    }

    /** One conversation, turn by turn; returns why it ended. */
    private static String converse(Socket client, Replier replier) throws IOException {
        LineReader in = new LineReader(client.getInputStream()); // UTF-8 lines, MAX_LINE_BYTES at most
        Writer out = new BufferedWriter(new OutputStreamWriter(client.getOutputStream(), ChatProtocol.CHARSET));
        while (true) {
            String message;
            try {
                message = in.readLine();                     // 5. receive
            } catch (BadLineException e) {                   //    too long, or not UTF-8: say so, and end
                out.write(e.errorLine());
                out.write('\n');
                out.flush();
                return "sent a line the protocol refuses: " + e.getMessage();
            }
            if (message == null) {
                return "left";                               //    read() returned -1: the client closed
            }
            if (ChatProtocol.isQuit(message)) {
                return "quit";
            }
            String answer = replier.replyTo(message);
            if (answer == null) {
                return "was given no answer";
            }
            out.write(answer);                               // 6. send
            out.write('\n');
            out.flush();
            if (ChatProtocol.isQuit(answer)) {
                return "was sent the quit word";
            }
        }
    }
    // end::serve[]

    // tag::close[]
    /**
     * Stops the server: closes the listener (a serve() blocked in accept() returns at once) and
     * the connection of the client being served, if any.
     */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        Socket client = current;
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }
    // end::close[]
}
