package org.tcpworkbook.chat;

import java.net.InetSocketAddress;

/**
 * What a chat server (labs 3, 4 and 5) tells its operator: the program prints it, the checker records
 * it. A server with several clients at once calls these from several threads.
 */
public interface ServerEvents {
    /** A client connected, from this address and port (what accept() tells). */
    default void connected(InetSocketAddress client) {
    }

    /**
     * The conversation with this client is over and its socket closed, and why: "left", "quit",
     * "reset", "silent too long", "was kicked"... Called on the thread of that conversation, the
     * last thing it does for the client.
     */
    default void left(InetSocketAddress client, String why) {
    }

    /**
     * A client connected while every worker was busy: it was sent {@link ChatProtocol#BUSY} and its
     * socket closed (lab 4's pool).
     */
    default void turnedAway(InetSocketAddress client) {
    }

    /** Tells nobody. */
    ServerEvents NONE = new ServerEvents() { };
}
