package org.tcpworkbook.lab3;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.ServedLab;
import org.tcpworkbook.kit.ServerHarness;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Transcript;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * The student's ChatServer, bound and serving under the shared {@link ServerHarness} (which runs
 * serve() and checks the stop), answering "你说: " + each message (a quit word for "please quit"),
 * and recording its events and what it asked the replier. Kept out of the checker class so that a
 * failure report names the check, not this helper.
 */
final class StudentServer implements AutoCloseable {
    /** How long one call into the student's code (bind, port, close) may take. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    /**
     * How long the checker waits for what a correct server does within milliseconds (an answer, an
     * event, serve() returning after close()): ample on a loaded machine, short enough that a server
     * that never does it is rejected quickly.
     */
    static final Duration PROMPT = Duration.ofSeconds(2);
    static final String PLEASE_QUIT = "please quit";
    /** The replier answers this with its quit word wrapped in spaces. */
    static final String PLEASE_QUIT_SPACED = "please quit, with spaces";
    /** The replier answers this with the other quit word, /quit. */
    static final String PLEASE_SLASH_QUIT = "please say /quit";
    /** The replier answers this with null: "no answer, end the conversation". */
    static final String NO_ANSWER = "no answer, please";
    static final String STOP_NOTES = Notes.see("lab3", "task-stop");
    static final String LEAVES_NOTES = Notes.see("lab3", "task-client-leaves");
    /** The replier records this many messages at most (a server looping on a dead client asks thousands). */
    private static final int RECORDED = 100;

    final ChatServer server;
    final int port;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    /** Every accepted socket seen so far (kernel inodes), and those of the client being served. */
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private volatile Set<Long> serving = Set.of();
    private final BlockingQueue<Left> lefts = new LinkedBlockingQueue<>();
    private final List<Left> leftLog = Collections.synchronizedList(new ArrayList<>());
    private volatile Gate connectedGate;
    private volatile Gate replierGate;
    private final ServerEvents recorder;
    private final Replier replier;
    private final ServerHarness harness;

    /**
     * What the server told events.left: the client (address:port), the reason, and whether the
     * socket accept() gave for that client was still open at that moment (null: cannot be seen here).
     */
    record Left(String client, String why, Boolean socketOpen) {
        String shown() {
            return why == null ? "null" : "\"" + Transcript.escape(why) + "\"";
        }
    }

    /**
     * Holds the server's thread inside a callback the checker owns (events.connected, the replier)
     * until the check releases it, so that the check can act (call close(), say) at exactly that
     * point of the server's work. Held for {@link #LIMIT} at most.
     */
    static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        void pass() {
            entered.countDown();
            try {
                release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until the server's thread is inside the callback; fails the check with {@code hint} if it never comes. */
        void awaitEntered(String hint) throws InterruptedException {
            if (!entered.await(PROMPT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionFailedError(hint);
            }
        }

        void release() {
            release.countDown();
        }
    }

    private StudentServer(ChatServer server, int port) {
        this.server = server;
        this.port = port;
        this.recorder = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                if (AcceptedSockets.visible()) {
                    Set<Long> now = new HashSet<>(AcceptedSockets.open(port));
                    now.removeAll(accepted);
                    accepted.addAll(now);
                    serving = now;
                }
                events.add("connected " + describe(client));
                Gate gate = connectedGate;
                if (gate != null) {
                    connectedGate = null;
                    gate.pass();
                }
            }

            @Override
            public void left(InetSocketAddress client, String why) {
                Set<Long> sockets = serving;
                Boolean open = AcceptedSockets.visible() && !sockets.isEmpty()
                        ? sockets.stream().anyMatch(AcceptedSockets::held) : null;
                Left left = new Left(describe(client), why, open);
                leftLog.add(left);
                lefts.add(left);
                events.add("left " + describe(client));
            }
        };
        this.replier = message -> {
            if (asked.size() < RECORDED) {
                asked.add(message);
            }
            Gate gate = replierGate;
            if (gate != null) {
                replierGate = null;
                gate.pass();
            }
            return answer(message);
        };
        this.harness = ServerHarness.start(new Served(), PROMPT, LIMIT);
    }

    /** The ChatServer as the shared harness drives it: serve(), close(), and lab 3's words. */
    private final class Served implements ServedLab {
        @Override
        public void serve() throws Exception {
            server.serve(replier, recorder);
        }

        @Override
        public void stop() {
            server.close();
        }

        @Override
        public String notes() {
            return STOP_NOTES;
        }

        @Override
        public String endedEarly(Throwable thrown) {
            return " serve() ended before close() was called, " + (thrown == null ? "by returning" : "with " + thrown)
                    + ": a server serves until it is stopped; a client that leaves or misbehaves ends only its own"
                    + " conversation: close that client's socket and go back to accept() " + LEAVES_NOTES;
        }

        /** What serve() is still waiting in, after close(): the accept, or the read of the client being served. */
        @Override
        public String stillServing(StackTraceElement[] stack) {
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

        @Override
        public String threwAfterStop(Exception thrown) {
            return closeCaused(thrown) ? ServedLab.super.threwAfterStop(thrown)
                    : "close() does not cause it: a server serves until it is stopped; a client that leaves or"
                    + " misbehaves ends only its own conversation " + LEAVES_NOTES;
        }
    }

    private static String describe(InetSocketAddress client) {
        return client == null ? "null" : (client.getAddress() == null ? client.getHostString()
                : client.getAddress().getHostAddress()) + ":" + client.getPort();
    }

    /**
     * "你说: " + a message; for one longer than 100 bytes of UTF-8, its length and hash instead, so
     * that the answer to a line near ChatProtocol.MAX_LINE_BYTES stays within the limit itself.
     */
    static String echo(String message) {
        int bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return bytes <= 100 ? "你说: " + message
                : "你说: " + bytes + " bytes, hash " + Integer.toHexString(message.hashCode());
    }

    static String answer(String message) {
        if (message == null) { // a server that passes on readLine()'s null: the check says so
            return "你说: null";
        }
        return switch (message) {
            case PLEASE_QUIT -> "关闭";
            case PLEASE_QUIT_SPACED -> " 关闭 ";
            case PLEASE_SLASH_QUIT -> "/quit";
            case NO_ANSWER -> null;
            default -> echo(message);
        };
    }

    /** Holds the server's thread in the next events.connected until the gate is released. */
    Gate holdNextConnected() {
        Gate gate = new Gate();
        connectedGate = gate;
        return gate;
    }

    /** Holds the server's thread in the next call of the replier until the gate is released. */
    Gate holdNextReply() {
        Gate gate = new Gate();
        replierGate = gate;
        return gate;
    }

    /** Whether serve() is still running {@code time} from now (it is awaited, not slept on: an early end shows at once). */
    boolean stillServingAfter(Duration time) throws InterruptedException {
        return harness.stillServingAfter(time);
    }

    /** Binds 127.0.0.1, port 0, and starts serving. */
    static StudentServer start(int backlog, Duration idleTimeout) throws Exception {
        return start(InetAddress.getLoopbackAddress(), backlog, idleTimeout);
    }

    /** Binds {@code address}, port 0, and starts serving. */
    static StudentServer start(InetAddress address, int backlog, Duration idleTimeout) throws Exception {
        String call = bindCall(address, 0, backlog, idleTimeout);
        ChatServer server = bind(call, () -> ChatServer.bind(address, 0, backlog, idleTimeout));
        int port = Student.call("asking the server for its port", LIMIT, server::port);
        return new StudentServer(server, port);
    }

    /** "ChatServer.bind(127.0.0.1, 0, 5, 1.5 s)" */
    static String bindCall(InetAddress address, int port, int backlog, Duration idleTimeout) {
        return "ChatServer.bind(" + address.getHostAddress() + ", " + port + ", " + backlog + ", "
                + show(idleTimeout) + ")";
    }

    /** A duration as a student wrote it: "300 ms", "1.5 s", "0.5 ms". */
    static String show(Duration d) {
        if (d.toNanos() % 1_000_000 != 0) {
            return (d.toNanos() / 1_000_000.0) + " ms";
        }
        long ms = d.toMillis();
        return Math.abs(ms) >= 1000 ? ms / 1000.0 + " s" : ms + " ms";
    }

    /**
     * Calls the student's bind with valid arguments: an IllegalArgumentException, or a look-up of
     * this machine's name, fails the check with its cause.
     */
    static ChatServer bind(String call, java.util.concurrent.Callable<ChatServer> bind) throws Exception {
        try {
            return Student.call("calling " + call, LIMIT, bind);
        } catch (IllegalArgumentException e) {
            throw new AssertionFailedError(call + " threw " + e + ", yet every argument is valid: port 0 asks the"
                    + " OS to choose a free port, the backlog is at least 1, the idle timeout positive "
                    + Notes.see("lab3", "task-bind"), e);
        } catch (UnknownHostException e) {
            if (calledGetLocalHost(e)) {
                throw new AssertionFailedError(call + " threw " + e + " from InetAddress.getLocalHost(): the server"
                        + " must listen on the address passed to bind(), not on this machine's name (which need not"
                        + " resolve at all, and when it does names an address other programs may reach, or that"
                        + " 127.0.0.1 does not) " + Notes.see("lab3", "task-bind"), e);
            }
            throw e;
        }
    }

    private static boolean calledGetLocalHost(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals("java.net.InetAddress") && frame.getMethodName().equals("getLocalHost")) {
                return true;
            }
        }
        return false;
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
     * The next events.left the server reported, after {@code ending} ("the client's quit word");
     * fails the check when none comes.
     */
    Left awaitLeft(String ending, String notes) throws InterruptedException {
        Left left = lefts.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (left == null) {
            throw new AssertionFailedError("Your server did not call events.left(...) within " + LIMIT.toMillis()
                    + " ms after " + ending + "." + endedEarly() + " Every conversation that ends, however it"
                    + " ends, is reported: close the accepted socket, then call events.left(client, why) " + notes);
        }
        return left;
    }

    /** Every events.left so far, in order. */
    List<Left> leftLog() {
        synchronized (leftLog) {
            return new ArrayList<>(leftLog);
        }
    }

    /**
     * Fails the check unless the server had closed the accepted socket when it reported the client
     * gone after {@code ending} (ServerEvents.left is called once the connection is closed). Seen at
     * that moment, by the socket's kernel inode: by the time the client's read returns -1, a garbage
     * collection may have closed an abandoned socket.
     */
    void assertClosedWhenLeft(Left left, String ending, String notes) {
        if (Boolean.TRUE.equals(left.socketOpen())) {
            throw new AssertionFailedError("When your server reported the client gone after " + ending
                    + " (events.left(" + left.client() + ", " + left.shown() + ")), the socket accept() gave for"
                    + " that client was still open: close the accepted socket however the conversation ends ("
                    + ending + " included: try-with-resources closes it on every path), before telling events.left "
                    + notes);
        }
    }

    /** {@link #awaitLeft} then {@link #assertClosedWhenLeft}. */
    Left assertAcceptedSocketClosedWhenLeft(String ending, String notes) throws InterruptedException {
        Left left = awaitLeft(ending, notes);
        assertClosedWhenLeft(left, ending, notes);
        return left;
    }

    boolean isServing() {
        return harness.isServing();
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
     * checker has stopped it); a skeleton's "Not implemented yet" fails the check as it is.
     */
    String endedEarly() {
        return harness.endedEarly();
    }

    /** How serve() ended, once it has: null if it returned, else what it threw. */
    Throwable thrown() {
        return harness.thrown();
    }

    /**
     * Calls close() now, from the check's thread, while serve() may be held in a callback; {@link #stop}
     * then only waits for serve() to return.
     */
    void closeNow(String doing) throws Exception {
        harness.stopNow(doing);
    }

    /** Stops the server and waits for serve() to return: it must, promptly. */
    void stop() throws Exception {
        harness.stop();
    }

    /** Whether serve()'s exception is what closing the listener (or the client's socket) throws. */
    static boolean closeCaused(Exception e) {
        if (!(e instanceof SocketException)) {
            return false;
        }
        String m = String.valueOf(e.getMessage());
        return m.equals("Socket closed") || m.equals("Socket is closed") || inAccept(e.getStackTrace());
    }

    static boolean inAccept(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.net.ServerSocket")
                    && (frame.getMethodName().equals("accept") || frame.getMethodName().equals("implAccept"))) {
                return true;
            }
        }
        return false;
    }

    /** After the check: the server must stop, promptly, and must not have stopped before. */
    @Override
    public void close() throws Exception {
        harness.close();
    }
}
