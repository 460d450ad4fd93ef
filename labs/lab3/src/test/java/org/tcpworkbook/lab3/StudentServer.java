package org.tcpworkbook.lab3;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.OpenSockets;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * The student's ChatServer, bound and serving on its own thread under the checker's deadlines,
 * answering "你说: " + each message (a quit word for "please quit"), and recording its events and
 * what it asked the replier. Kept out of the checker class so that a failure report names the
 * check, not this helper.
 */
final class StudentServer implements AutoCloseable {
    /** How long one call into the student's code (bind, port, close) may take. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    /**
     * How long the checker waits for what a correct server does within milliseconds (an answer, an
     * event, serve() returning after close()): ample on a loaded machine, short enough that a server
     * that never does it is rejected quickly.
     */
    static final Duration PROMPT = Duration.ofSeconds(1);
    static final String PLEASE_QUIT = "please quit";
    static final String STOP_NOTES = Notes.see("lab3", "task-stop");
    static final String LEAVES_NOTES = Notes.see("lab3", "task-client-leaves");
    /** The replier records this many messages at most (a server looping on a dead client asks thousands). */
    private static final int RECORDED = 100;

    final ChatServer server;
    final int port;
    private final Student.Running<Void> serving;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;
    /** Sockets open in this JVM when the server last reported a client connected, and when it left. */
    private volatile long socketsAtConnect;
    private final BlockingQueue<Long> socketsAtLeave = new LinkedBlockingQueue<>();

    private StudentServer(ChatServer server, int port) {
        this.server = server;
        this.port = port;
        ServerEvents recorder = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                socketsAtConnect = OpenSockets.count();
                events.add("connected " + client.getAddress().getHostAddress() + ":" + client.getPort());
            }

            @Override
            public void left(InetSocketAddress client, String why) {
                socketsAtLeave.add(OpenSockets.count() - socketsAtConnect);
                events.add("left " + client.getAddress().getHostAddress() + ":" + client.getPort());
            }
        };
        Replier replier = message -> {
            if (asked.size() < RECORDED) {
                asked.add(message);
            }
            return answer(message);
        };
        this.serving = Student.start("running serve(), which must return once close() is called", () -> {
            server.serve(replier, recorder);
            return null;
        });
    }

    static String answer(String message) {
        return PLEASE_QUIT.equals(message) ? "关闭" : "你说: " + message;
    }

    /** Binds 127.0.0.1, port 0, and starts serving. */
    static StudentServer start(int backlog, Duration idleTimeout) throws Exception {
        String call = "ChatServer.bind(127.0.0.1, 0, " + backlog + ", " + idleTimeout.toMillis() + " ms)";
        ChatServer server;
        try {
            server = Student.call("calling " + call, LIMIT,
                    () -> ChatServer.bind(InetAddress.getLoopbackAddress(), 0, backlog, idleTimeout));
        } catch (IllegalArgumentException e) {
            throw new AssertionFailedError(call + " threw " + e + ", yet every argument is valid: port 0 asks the"
                    + " OS to choose a free port, the backlog is at least 1, the idle timeout positive "
                    + Notes.see("lab3", "task-bind"), e);
        }
        int port = Student.call("asking the server for its port", LIMIT, server::port);
        return new StudentServer(server, port);
    }

    /**
     * The next event the server reported ("connected 127.0.0.1:40000", "left …"); fails the check,
     * with {@code hint}, when none comes.
     */
    String takeEvent(String waitingFor, String hint) throws InterruptedException {
        String event = events.poll(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionFailedError("Your server reported no event within " + PROMPT.toMillis()
                    + " ms; the checker was waiting for " + waitingFor + "." + endedEarly() + " " + hint);
        }
        return event;
    }

    /** The messages the server asked the replier to answer, in order (null included). */
    List<String> asked() {
        synchronized (asked) {
            return new ArrayList<>(asked);
        }
    }

    /**
     * Fails the check unless the server had closed the accepted socket when it reported the client
     * gone (ServerEvents.left is called once the connection is closed). Counted at that moment: by
     * the time the client's read returns -1, a garbage collection may have closed an abandoned socket.
     */
    void assertAcceptedSocketClosedWhenLeft(String notes) throws InterruptedException {
        Long change = socketsAtLeave.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (change == null) {
            throw new AssertionFailedError("Your server reported no client leaving within " + LIMIT.toMillis()
                    + " ms: call events.left(...) when a conversation is over, after closing its socket " + notes);
        }
        if (OpenSockets.countable() && change >= 0) {
            throw new AssertionFailedError("When your server reported the client gone (events.left), the socket"
                    + " accept() gave it was still open: close the accepted socket when a conversation ends"
                    + " (try-with-resources), before telling events.left " + notes);
        }
    }

    boolean isServing() {
        return !serving.isDone();
    }

    /**
     * Why the client got no answer to {@code message}: what the replier was asked, or how serve()
     * ended. {@code failure} is the reference client's report; {@code notes} ends the message.
     */
    AssertionFailedError noAnswer(String message, AssertionFailedError failure, String notes) {
        String why;
        if (asked().contains(message)) {
            why = failure.getMessage().contains("with no line end")
                    ? " Your server asked the replier for the answer to \"" + message + "\" and sent it, but without"
                    + " the \\n that ends a message: the client reads whole lines, so end each answer with \\n."
                    : " Your server asked the replier for the answer to \"" + message + "\", but no line of it"
                    + " reached the client: write the answer and its \\n, then flush() (a BufferedWriter, or a"
                    + " PrintWriter without autoflush, keeps what you write until flush()).";
        } else if (!isServing()) {
            why = endedEarly();
        } else {
            why = " Your server did not ask the replier for an answer to \"" + message + "\": it has not read that"
                    + " line (is it still busy with an earlier client?).";
        }
        return new AssertionFailedError(failure.getMessage() + why + (why.contains(notes) ? "" : " " + notes), failure);
    }

    /**
     * " serve() ended before close() was called, with …", or "" while serve() runs (or once the
     * checker has stopped it).
     */
    String endedEarly() {
        if (isServing() || stopping) {
            return "";
        }
        Throwable thrown = thrown();
        if (thrown instanceof AssertionFailedError notYet) {
            return " " + notYet.getMessage(); // the skeleton's "Not implemented yet"
        }
        return " serve() ended before close() was called, " + (thrown == null ? "by returning" : "with " + thrown)
                + ": a server serves until it is stopped; a client that leaves or misbehaves ends only its own"
                + " conversation: close that client's socket and go back to accept() " + LEAVES_NOTES;
    }

    /** How serve() ended, once it has: null if it returned, else what it threw. */
    private Throwable thrown() {
        try {
            serving.await(Duration.ZERO);
            return null;
        } catch (Exception | Error e) {
            return e;
        }
    }

    /** Stops the server and waits for serve() to return: it must, promptly. */
    void stop() throws Exception {
        stop("Stopping your server failed: ");
    }

    private void stop(String failed) throws Exception {
        if (stopping) {
            return;
        }
        String early = endedEarly();
        stopping = true;
        if (!early.isEmpty()) {
            try {
                Student.run("closing the server", LIMIT, server::close); // frees the port; the cause is told below
            } catch (Exception | AssertionError ignored) {
                // the message below says more
            }
            throw new AssertionFailedError(failed + early.strip());
        }
        try {
            Student.run("stopping the server with close()", LIMIT, server::close);
        } catch (AssertionFailedError e) { // blocked, or not written yet
            throw new AssertionFailedError(failed + e.getMessage() + linked(e.getMessage(), STOP_NOTES), e);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(failed + "close() threw " + e + ": stopping must not fail " + STOP_NOTES, e);
        }
        try {
            serving.await(PROMPT);
        } catch (AssertionFailedError e) { // still blocked after close()
            throw new AssertionFailedError(failed + e.getMessage() + blockedHint() + " " + STOP_NOTES, e);
        } catch (Exception e) { // serve() threw
            if (closeCaused(e)) {
                throw new AssertionFailedError(failed + "after close(), serve() threw " + e + " instead of returning:"
                        + " once the listener is closed, accept() throws SocketException, which is the signal to"
                        + " return " + STOP_NOTES, e);
            }
            throw new AssertionFailedError(failed + "serve() ended with " + e + ", which close() does not cause:"
                    + " a server serves until it is stopped; a client that leaves or misbehaves ends only its own"
                    + " conversation " + LEAVES_NOTES, e);
        }
    }

    private static String linked(String message, String notes) {
        return message != null && message.contains("lab3.html#") ? "" : " " + notes;
    }

    /** Whether serve()'s exception is what closing the listener (or the client's socket) throws. */
    private static boolean closeCaused(Exception e) {
        if (!(e instanceof SocketException)) {
            return false;
        }
        String m = String.valueOf(e.getMessage());
        return m.equals("Socket closed") || m.equals("Socket is closed") || inAccept(e.getStackTrace());
    }

    private static boolean inAccept(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.net.ServerSocket")
                    && (frame.getMethodName().equals("accept") || frame.getMethodName().equals("implAccept"))) {
                return true;
            }
        }
        return false;
    }

    /** What serve() is still waiting in, after close(): the accept, or the read of the client being served. */
    private String blockedHint() {
        StackTraceElement[] stack = serving.thread().getStackTrace();
        if (inAccept(stack)) {
            return " serve() is still waiting in accept(): close() must close the listening socket, which makes a"
                    + " blocked accept() throw SocketException at once.";
        }
        for (StackTraceElement frame : stack) {
            String c = frame.getClassName();
            boolean socketRead = c.startsWith("java.net.Socket") || c.equals("sun.nio.ch.NioSocketImpl");
            if (socketRead && frame.getMethodName().equals("read")) {
                return " serve() is still reading from the client being served: close() must also close the"
                        + " socket of the client being served (keep it in a field), which makes its blocked read()"
                        + " throw SocketException at once.";
            }
        }
        return "";
    }

    /** After the check: the server must stop, promptly, and must not have stopped before. */
    @Override
    public void close() throws Exception {
        stop("The check passed, but stopping your server failed: ");
    }
}
