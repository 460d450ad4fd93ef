package org.tcpworkbook.lab7;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;

/**
 * The line echo server with a virtual thread per client: the blocking code of labs 3 and 4, and
 * thousands of clients, because a virtual thread blocked in read() holds no platform thread.
 */
public final class VirtualEchoServer implements Closeable {
    private final ServerSocket listener;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    // tag::executor[]
    private final ExecutorService conversations = Executors.newVirtualThreadPerTaskExecutor();
    // end::executor[]
    private volatile boolean closed;

    /** A server for the clients that connect to {@code listener} (bound and listening already). */
    public VirtualEchoServer(ServerSocket listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Accepts clients until {@link #close()}, each served on a virtual thread of its own: every
     * line is sent back with "\n"; a line too long or not UTF-8 gets the error line, then the end.
     */
    // tag::serve[]
    public void serve() throws IOException {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;                                 // close() closed the listener
                }
                throw e;
            }
            clients.add(client);
            if (closed) {                                   // close() ran between accept and add
                clients.remove(client);
                client.close();
                return;
            }
            conversations.execute(() -> converse(client));  // a new virtual thread
        }
    }

    private void converse(Socket client) {
        try (client) {
            LineReader in = new LineReader(client.getInputStream());
            OutputStream out = client.getOutputStream();
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.write((line + "\n").getBytes(ChatProtocol.CHARSET));
                }
            } catch (BadLineException e) {
                out.write((e.errorLine() + "\n").getBytes(ChatProtocol.CHARSET));
            }
        } catch (IOException e) {
            // the client reset, stopped mid-line, or close() closed the socket: this conversation ends
        } finally {
            clients.remove(client);
        }
    }
    // end::serve[]

    /** How many clients are connected right now. */
    public int connections() {
        return clients.size();
    }

    /** Stops: closes the listener and every client's socket, and waits (up to 5 s) for the conversations to end. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        conversations.shutdown();
        try {
            conversations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
