package org.tcpworkbook.lab3;

import java.net.InetSocketAddress;

/** What the server tells its operator (the program prints it; the checker records it). */
public interface ServerEvents {
    /** A client connected, from this address and port (what accept() tells). */
    default void connected(InetSocketAddress client) {
    }

    /**
     * The conversation with this client is over and its socket closed, and why: "left", "quit",
     * "reset", "silent too long"...
     */
    default void left(InetSocketAddress client, String why) {
    }

    /** Tells nobody. */
    ServerEvents NONE = new ServerEvents() { };
}
