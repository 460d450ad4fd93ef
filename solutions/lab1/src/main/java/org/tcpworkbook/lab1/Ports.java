package org.tcpworkbook.lab1;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Tasks 2–4: port numbers, a port the OS chooses, and a port that is taken. */
public final class Ports {
    private Ports() {
    }

    // tag::category[]
    /**
     * IANA's range of a port number: 0–1023 well-known, 1024–49151 registered, 49152–65535 dynamic.
     *
     * @throws IllegalArgumentException outside 0–65535
     */
    public static PortCategory category(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port number is 0 to 65535, not " + port);
        }
        if (port <= 1023) {
            return PortCategory.WELL_KNOWN;
        }
        if (port <= 49151) {
            return PortCategory.REGISTERED;
        }
        return PortCategory.DYNAMIC;
    }
    // end::category[]

    // tag::ephemeral[]
    /**
     * A listening socket on 127.0.0.1 whose port the OS chose (ask for port 0, then read
     * {@code getLocalPort()}). The caller closes it.
     */
    public static ServerSocket listenOnEphemeralPort() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }
    // end::ephemeral[]

    // tag::in-use[]
    /**
     * Whether a program already listens on 127.0.0.1:{@code port}: try to bind it, and see whether
     * the OS says "Address already in use". The trial socket is closed again at once.
     *
     * @throws IllegalArgumentException outside 1–65535 (port 0 means "any port")
     */
    public static boolean isInUse(int port) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port to test is 1 to 65535, not " + port);
        }
        try (ServerSocket trial = new ServerSocket()) {
            trial.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (BindException e) {
            return true;
        }
    }
    // end::in-use[]
}
