package org.tcpworkbook.lab6;

import java.net.InetSocketAddress;

/**
 * What the chat room tells its operator: the program prints it, the checker records it (and holds a
 * thread in it, to force the interleavings a room must survive). Called from the members' threads,
 * several at once; the room never calls it while it holds a lock that another member's thread needs.
 */
public interface RoomEvents {
    /**
     * A connection from {@code from} asks for {@code nick} (a valid one), on that connection's reader
     * thread, before the room decides whether it is free.
     */
    default void claiming(InetSocketAddress from, String nick) {
    }

    /** {@code nick} joined: members() lists it, and its welcome is queued. On its reader thread. */
    default void joined(String nick) {
    }

    /**
     * On the thread of the member whose line it is ({@code from}, or null for the room's own news),
     * right before {@code line} is put in the outgoing queue of member {@code to}: a broadcast is
     * under way.
     */
    default void delivering(String from, String to, String line) {
    }

    /**
     * {@code nick} is out of the room: members() no longer lists it, the others were told, its
     * socket is closed. {@code why}: "quit", "left", "reset", "sent a bad line", "dropped: reads too
     * slowly", "the room closed". On its reader thread, the last thing it does.
     */
    default void left(String nick, String why) {
    }

    /** Tells nobody. */
    RoomEvents NONE = new RoomEvents() { };
}
