package org.tcpworkbook.lab1;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Task 5: the application's "ping": can I open a TCP connection to this host and port? */
public final class ConnectProbe {
    private ConnectProbe() {
    }

    // tag::probe[]
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
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, millis(timeout));
            return Reachability.REACHABLE;
        } catch (ConnectException e) {
            return Reachability.REFUSED;
        } catch (SocketTimeoutException e) {
            return Reachability.TIMED_OUT;
        }
    }

    /**
     * The timeout in whole milliseconds for {@code Socket.connect}: rounded up, so that 0.5 ms
     * becomes 1 and not 0 ("wait forever"), and at most {@code Integer.MAX_VALUE} (24.8 days).
     */
    private static int millis(Duration timeout) {
        if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) ((timeout.toNanos() + 999_999) / 1_000_000);
    }
    // end::probe[]
}
