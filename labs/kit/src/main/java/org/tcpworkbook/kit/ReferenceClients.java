package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes reference clients for a check on a student's server, names them ("client 1", "client 2",
 * …) in the shared transcript, and closes every one after the check.
 */
public final class ReferenceClients implements AutoCloseable {
    /** How long a reference client waits for its connect to complete. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Transcript transcript;
    private final List<ReferenceClient> clients = new CopyOnWriteArrayList<>();

    public ReferenceClients(Transcript transcript) {
        this.transcript = transcript;
    }

    /** A client connected to 127.0.0.1:{@code port}. */
    public ReferenceClient connect(int port) throws IOException {
        return connect(port, Policy.NORMAL);
    }

    /** A client connected to 127.0.0.1:{@code port} that writes as {@code policy} says. */
    public ReferenceClient connect(int port, Policy policy) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), policy, 0);
    }

    /** A client connected from a fixed local port (0: any). */
    public ReferenceClient connect(InetSocketAddress target, Policy policy, int localPort) throws IOException {
        ReferenceClient client = ReferenceClient.connect(target, policy, CONNECT_TIMEOUT, localPort,
                transcript, "client " + (clients.size() + 1));
        clients.add(client);
        return client;
    }

    /**
     * Tries to connect to 127.0.0.1:{@code port} within {@code timeout}, without failing the check:
     * {@link Outcome#OPEN} (the client is kept, and closed after the check), {@link Outcome#REFUSED}
     * or {@link Outcome#TIMED_OUT}. For checks on what a server does with waiting connections.
     */
    public Outcome tryConnect(int port, Duration timeout) throws IOException {
        ReferenceClient.Attempt attempt = ReferenceClient.attempt(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Policy.NORMAL, timeout, 0, transcript,
                "client " + (clients.size() + 1));
        if (attempt.client() != null) {
            clients.add(attempt.client());
        }
        return attempt.outcome();
    }

    public Transcript transcript() {
        return transcript;
    }

    @Override
    public void close() throws IOException {
        for (ReferenceClient client : clients) {
            client.close();
        }
    }
}
