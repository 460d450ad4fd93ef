package org.tcpworkbook.lab5;

import java.net.InetSocketAddress;

/** What the server tells its operator (the program prints it; the checker records it). */
public interface ServerEvents {
    /** accept() returned a new socket for this client (its address and port); it is in clients() now. */
    default void connected(InetSocketAddress client) {
    }

    /**
     * The session with this client is over: its socket is closed, it is no longer in clients(),
     * and why: "closed the connection", "reset the connection", "was kicked", "server shut down"...
     * Called on that client's session thread, the last thing it does.
     */
    default void left(InetSocketAddress client, String why) {
    }

    /** Tells nobody. */
    ServerEvents NONE = new ServerEvents() { };
}
