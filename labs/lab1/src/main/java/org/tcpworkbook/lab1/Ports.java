package org.tcpworkbook.lab1;

import java.io.IOException;
import java.net.ServerSocket;

/** Tasks 2–4: port numbers, a port the OS chooses, and a port that is taken. */
public final class Ports {
    private Ports() {
    }

    /**
     * IANA's range of a port number: 0–1023 well-known, 1024–49151 registered, 49152–65535 dynamic.
     *
     * @throws IllegalArgumentException outside 0–65535
     */
    public static PortCategory category(int port) {
        // TODO Task 2: return WELL_KNOWN, REGISTERED or DYNAMIC; reject numbers that are no port.
        throw new UnsupportedOperationException(
                "Task 2: implement Ports.category (notes: lab1.html#task-port-category)");
    }

    /**
     * A listening socket on 127.0.0.1 whose port the OS chose (ask for port 0, then read
     * {@code getLocalPort()}). The caller closes it.
     */
    public static ServerSocket listenOnEphemeralPort() throws IOException {
        // TODO Task 3: listen on 127.0.0.1 (not on every interface), port 0, and return the socket.
        throw new UnsupportedOperationException(
                "Task 3: implement Ports.listenOnEphemeralPort (notes: lab1.html#task-ephemeral)");
    }

    /**
     * Whether a program already listens on 127.0.0.1:{@code port}: try to bind it, and see whether
     * the OS says "Address already in use". The trial socket is closed again at once.
     *
     * @throws IllegalArgumentException outside 1–65535 (port 0 means "any port")
     */
    public static boolean isInUse(int port) throws IOException {
        // TODO Task 4: try to bind 127.0.0.1:port; a java.net.BindException means "in use".
        //  Close the trial socket on every path.
        throw new UnsupportedOperationException(
                "Task 4: implement Ports.isInUse (notes: lab1.html#task-in-use)");
    }
}
