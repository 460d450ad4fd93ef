package org.tcpworkbook.lab6;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.tcpworkbook.kit.EventLog;
import org.tcpworkbook.kit.Gate;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.ServedLab;
import org.tcpworkbook.kit.ServerHarness;
import org.tcpworkbook.kit.Student;

/**
 * The student's ChatRoom on a listener of the checker's (127.0.0.1, port 0), serving under the shared
 * {@link ServerHarness}, with recorders for its {@link RoomEvents} and gates that hold its threads
 * where a check needs them: in claiming (the first claim only), in delivering (lines a check picks),
 * and in left (to see whether close() waits for the members' threads).
 */
final class StudentRoom implements ServedLab, AutoCloseable {
    /** How long one call into the student's code may take. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    /** How long the checker waits for what a correct room does within milliseconds. */
    static final Duration PROMPT = Duration.ofSeconds(2);
    /** The longest a gate holds a student thread (the check opens it much sooner). */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(10);
    /** How long events.left takes once {@link #slowLeft()} was called. */
    static final Duration LATE_WINDOW = Duration.ofMillis(300);
    static final String STOP_NOTES = Notes.see("lab6", "task-stop");
    static final String ROOM_NOTES = Notes.see("lab6", "task-room");

    final ChatRoom room;
    final int port;
    final EventLog events = new EventLog();
    final Gate claimGate = new Gate(HOLD_LIMIT);
    final Gate deliverGate = new Gate(HOLD_LIMIT);
    private final AtomicBoolean firstClaimHeld = new AtomicBoolean();
    private volatile Predicate<String> deliverHeld = line -> false;
    private volatile boolean holdFirstClaim;
    private volatile CountDownLatch closeReturned;
    private final ServerHarness harness;
    /** The checker's listener, which the student's room serves on. */
    private final ServerSocket listener;

    private StudentRoom(ChatRoom room, ServerSocket listener) {
        this.room = room;
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.harness = ServerHarness.start(this, PROMPT, LIMIT);
    }

    /** A room with outgoing queues of {@code queueLimit} lines, serving on 127.0.0.1 at an ephemeral port. */
    static StudentRoom start(int queueLimit) throws Exception {
        ServerSocket listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        try {
            ChatRoom room = Student.call("calling new ChatRoom(listener, " + queueLimit + ")", LIMIT,
                    () -> new ChatRoom(listener, queueLimit));
            return new StudentRoom(room, listener);
        } catch (Exception | Error e) {
            listener.close();
            throw e;
        }
    }

    @Override
    public void serve() throws Exception {
        room.serve(new RoomEvents() {
            @Override
            public void claiming(InetSocketAddress from, String nick) {
                events.record("claiming " + nick);
                if (holdFirstClaim && firstClaimHeld.compareAndSet(false, true)) {
                    claimGate.pass();
                }
            }

            @Override
            public void joined(String nick) {
                events.record("joined " + nick);
            }

            @Override
            public void delivering(String from, String to, String line) {
                if (deliverHeld.test(line)) {
                    deliverGate.pass();
                }
            }

            @Override
            public void left(String nick, String why) {
                CountDownLatch returned = closeReturned;
                if (returned != null) {
                    try {
                        if (returned.await(LATE_WINDOW.toMillis(), TimeUnit.MILLISECONDS)) {
                            events.record("late " + nick);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                events.record("left " + nick + ": " + why);
            }
        });
    }

    @Override
    public void stop() {
        try {
            room.close();
        } finally {
            CountDownLatch returned = closeReturned;
            if (returned != null) {
                returned.countDown();
            }
        }
    }

    @Override
    public String notes() {
        return STOP_NOTES;
    }

    @Override
    public void notImplemented() {
        ServerHarness.closeEveryConnection(listener);
    }

    @Override
    public String endedEarly(Throwable thrown) {
        return " serve() ended before close() was called, " + (thrown == null ? "by returning" : "with " + thrown)
                + ": a room serves until it is closed; a member that leaves or misbehaves ends only its own"
                + " connection " + ROOM_NOTES;
    }

    /** The first claiming() call waits at {@link #claimGate} until it is opened. */
    void holdFirstClaim() {
        holdFirstClaim = true;
        claimGate.shut();
    }

    /** Every delivering() of a line {@code which} accepts waits at {@link #deliverGate}. */
    void holdDelivering(Predicate<String> which) {
        deliverGate.shut();
        deliverHeld = which;
    }

    void releaseDelivering() {
        deliverHeld = line -> false;
        deliverGate.open();
    }

    /** From now on events.left takes {@link #LATE_WINDOW}, unless close() returns meanwhile: then "late". */
    void slowLeft() {
        closeReturned = new CountDownLatch(1);
    }

    /**
     * A reference member that joins as {@code nick}; a failure says so if serve() ended early (a
     * skeleton's "Not implemented yet" instead of the member's wait).
     */
    RoomPeer join(String nick) throws Exception {
        RoomPeer peer = RoomPeer.connect(nick, port);
        try {
            peer.joinAs(nick, PROMPT);
            return peer;
        } catch (AssertionError e) {
            peer.close();
            String early = endedEarly();
            throw new org.opentest4j.AssertionFailedError(e.getMessage() + (early.isEmpty() ? " " + ROOM_NOTES : early), e);
        }
    }

    List<String> members() throws Exception {
        return Student.call("calling members()", LIMIT, room::members);
    }

    String endedEarly() {
        return harness.endedEarly();
    }

    /** Calls close() under its limit; serve() must return. */
    void stopRoom() throws Exception {
        harness.stop();
    }

    @Override
    public void close() throws Exception {
        claimGate.open();
        deliverGate.open();
        try {
            harness.close();
        } finally {
            listener.close();   // the room closed it already, unless it failed to: then the checker's own
        }
    }
}
