package org.tcpworkbook.lab1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Task 5: the application's "ping": can I open a TCP connection to this host and port? */
public final class ConnectProbe {
    private ConnectProbe() {
    }

    /**
     * Tries a TCP connect to {@code target}, waiting at most {@code timeout}, and closes the
     * connection again at once. The timeout counts to the millisecond: a fraction of one is rounded
     * up (0.5 ms waits 1 ms, never 0, which would mean "wait forever"), and a timeout longer than
     * {@code Integer.MAX_VALUE} ms (about 24.8 days) waits that long.
     *
     * @return REACHABLE, REFUSED (the connect threw {@code ConnectException}) or TIMED_OUT
     *     ({@code SocketTimeoutException})
     * @throws IOException when the connect fails any other way, e.g. {@code UnknownHostException}
     *     for an unresolved {@code target}; the socket is closed then too
     * @throws IllegalArgumentException if the timeout is not positive (0 would mean "wait forever")
     */
    public static Reachability probe(InetSocketAddress target, Duration timeout) throws IOException {
        // TODO Task 5: connect with a connect timeout; tell REACHABLE, REFUSED (ConnectException)
        //  and TIMED_OUT (SocketTimeoutException) apart; close the socket.
        throw new UnsupportedOperationException(
                "Task 5: implement ConnectProbe.probe (notes: lab1.html#task-probe)");
    }
}
