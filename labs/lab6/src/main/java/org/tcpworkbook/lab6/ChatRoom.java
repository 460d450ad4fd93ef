package org.tcpworkbook.lab6;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.tcpworkbook.chat.RoomProtocol;

/**
 * A chat room (see {@link RoomProtocol} for what goes over the wire): anyone speaks at any moment,
 * and every other member hears it.
 *
 * <p>The contract the checker holds you to:
 * <ul>
 * <li>Each member has its own thread that reads its lines (or a reader and a writer thread: the
 *     notes weigh both), so a silent member keeps nobody waiting.</li>
 * <li>A message goes to every other member, never to its sender, through an outgoing queue per
 *     member that holds at most {@code queueLimit} lines. Putting a line in a queue never blocks:
 *     when a member's queue is full, it reads too slowly, and it is dropped at once (its socket
 *     closed, {@link RoomProtocol#dropped} to the others). A slow or dead reader never stalls the
 *     room, and no lock the room needs is held while anything writes to a socket.</li>
 * <li>Every receiver gets each sender's lines in the order they were sent, each line whole: only
 *     one thread at a time writes to a member's stream.</li>
 * <li>A nickname is checked and taken in one step: two members asking for one name at once, one
 *     gets it, the other {@link RoomProtocol#NICK_TAKEN}.</li>
 * <li>A new member's first lines are the prompt and its answers, then its welcome: no other
 *     line reaches it before the welcome. {@link RoomProtocol#joined} goes to the members its
 *     welcome named, and to nobody else.</li>
 * <li>A member who quits, closes or resets is removed at once (members() no longer lists it, the
 *     others get {@link RoomProtocol#left}), even while other threads are broadcasting.</li>
 * <li>{@link RoomEvents} are called where they say, never while holding a lock the room needs.</li>
 * </ul>
 */
public final class ChatRoom implements Closeable {
    private final ServerSocket listener;
    private final int queueLimit;
    // TODO Tasks 1-4: the members (shared by every member's thread), their sockets, queues and threads.

    /**
     * A room for the members that connect to {@code listener} (bound and listening already); each
     * member's outgoing queue holds at most {@code queueLimit} lines.
     *
     * @throws IllegalArgumentException if {@code queueLimit} is less than 1
     */
    public ChatRoom(ServerSocket listener, int queueLimit) {
        // TODO Task 3: reject a queue limit below 1.
        this.listener = listener;
        this.queueLimit = queueLimit;
    }

    /**
     * Accepts members until {@link #close()} (then returns): each connection gets
     * {@link RoomProtocol#NICK_PROMPT}, then its own thread(s). The first line is a nickname: invalid
     * gets {@link RoomProtocol#NICK_INVALID}, taken gets {@link RoomProtocol#NICK_TAKEN} (try again); a
     * valid one calls {@code events.claiming} before the room decides, and once it is the member's,
     * the member gets {@link RoomProtocol#welcome}, {@code events.joined} is called, and the others
     * get {@link RoomProtocol#joined}. Then: /who, /nick NEW, the quit words ({@link RoomProtocol#BYE},
     * then the end), other /commands and empty lines (an error line each), and messages
     * ({@link RoomProtocol#said} to every other member; one that would not fit the line limit gets
     * {@link RoomProtocol#TOO_LONG_TO_SAY}). Lines are read with the given
     * {@link org.tcpworkbook.chat.LineReader}: a line too long or not UTF-8 gets its error line and
     * ends that member's connection only.
     */
    public void serve(RoomEvents events) throws IOException {
        // TODO Task 1: accept in a loop; for each connection start its reader (and writer) thread:
        //  the nickname, then its lines; a message goes to every other member. Tell events.claiming,
        //  events.joined, events.left (after it is removed, the others told and its socket closed).
        // TODO Task 2: broadcast through a bounded queue per member (never block: a full queue drops
        //  that member) and call events.delivering right before each line goes into a queue.
        throw new UnsupportedOperationException("Task 1: implement ChatRoom.serve, a thread per member"
                + " (notes: lab6.html#task-room)");
    }

    /** The nicknames of the members in the room now, in the order they joined. */
    public List<String> members() {
        // TODO Task 1: shared by every member's thread.
        throw new UnsupportedOperationException("Task 1: implement ChatRoom.members (notes: lab6.html#task-room)");
    }

    /**
     * Stops the room: closes the listener (serve() returns), sends every member
     * {@link RoomProtocol#GOODBYE} then the end of the stream, and waits, up to a deadline of a
     * second or two, for every thread of every member to end.
     */
    @Override
    public void close() {
        // TODO Task 4
        throw new UnsupportedOperationException("Task 4: implement ChatRoom.close (notes: lab6.html#task-stop)");
    }
}
