package org.tcpworkbook.lab5;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.EventLog;
import org.tcpworkbook.kit.Gate;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ServedLab;
import org.tcpworkbook.kit.ServerHarness;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * The student's ClosingServer, bound on 127.0.0.1 and serving under the shared {@link ServerHarness}
 * (which runs serve() and checks the stop: shutdown(grace)), answering "你说: " + each message, and recording its events, what it asked the replier,
 * and the session threads that asked. Kept out of the checker class so that a failure report names
 * the check, not this helper.
 */
final class StudentServer implements AutoCloseable {
    /** How long one call into the student's code (bind, port, kick, clients...) may take. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    /**
     * How long the checker waits for what a correct server does within milliseconds (an answer, an
     * event, the end of a connection, serve() returning): ample on a loaded machine, short enough
     * that a server that never does it is rejected quickly.
     */
    static final Duration PROMPT = Duration.ofSeconds(2);
    /** The grace the checks give shutdown(); a correct shutdown needs milliseconds of it. */
    static final Duration GRACE = Duration.ofSeconds(10);
    /** The grace of the shutdown after each check: short, so that a slow shutdown costs little there. */
    static final Duration AFTER_CHECK_GRACE = Duration.ofSeconds(1);
    static final String SERVE_NOTES = Notes.see("lab5", "task-serve");
    static final String PEER_CLOSE_NOTES = Notes.see("lab5", "task-peer-close");
    static final String SHUTDOWN_NOTES = Notes.see("lab5", "task-shutdown");
    /**
     * With {@link #watchForLateSessions()}, how long events.left takes: the window in which a shutdown()
     * that does not wait for its session threads shows it, by returning while one is still in events.left.
     */
    static final Duration LATE_WINDOW = Duration.ofMillis(300);
    /** The replier records this many messages at most (a server looping on a dead client asks thousands). */
    private static final int RECORDED = 100;
    /** A message the checker's replier "thinks about" until the check releases it: a client mid-conversation. */
    static final String HOLD = "让我想想 let me think";
    /** A message the checker's replier answers with the quit word 关闭: the session ends once it is sent. */
    static final String SAY_QUIT = "请说再见 say the quit word";
    /** The quit word the replier answers {@link #SAY_QUIT} with. */
    static final String QUIT_ANSWER = "关闭";
    /** A message the checker's replier answers with null: the session ends at once, nothing sent. */
    static final String NO_ANSWER = "别回答 give no answer";
    /** The longest a held replier or events.left waits to be released (the check releases it much sooner). */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(10);

    final ClosingServer server;
    final int port;
    private final ServerHarness harness;
    private final EventLog events = new EventLog();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final Set<Thread> sessionThreads = ConcurrentHashMap.newKeySet();
    /** Counted down when shutdown() returns, once {@link #watchForLateSessions()} was called. */
    private volatile CountDownLatch shutdownReturned;
    /** Clients whose session thread was still running (in events.left) when shutdown() returned. */
    private final List<String> late = Collections.synchronizedList(new ArrayList<>());
    /** Shut until the check (or the end of the check) opens it: the replier calls on {@link #HOLD} wait there. */
    private final Gate replierGate = new Gate(HOLD_LIMIT);
    /** Shut by {@link #holdLeft()} until the check (or the end of the check) opens it: events.left waits there. */
    private final Gate leftGate = new Gate(HOLD_LIMIT);
    /** What the checker saw from inside each events.left(client, ...), by client: see {@link #seenInLeft}. */
    private final java.util.Map<String, String> seenInLeft = new ConcurrentHashMap<>();
    /** What the checker saw from inside each events.connected(client): clients() listed it, or why not. */
    private final java.util.Map<String, String> seenInConnected = new ConcurrentHashMap<>();

    private StudentServer(ClosingServer server, int port) {
        this.server = server;
        this.port = port;
        replierGate.shut();
        ServerEvents recorder = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                seenInConnected.put(show(client), listed(client) ? "" : "clients() did not list " + show(client)
                        + " while events.connected(" + show(client) + ") ran");
                event("connected " + show(client));
            }

            @Override
            public void left(InetSocketAddress client, String why) {
                seenInLeft.put(show(client), inLeft(client));
                leftGate.pass();
                CountDownLatch returned = shutdownReturned;
                if (returned != null) {
                    try {
                        // The operator's log takes a while: a shutdown() that joins its session threads
                        // cannot return meanwhile; one that does not join returns, and is seen here.
                        if (returned.await(LATE_WINDOW.toMillis(), TimeUnit.MILLISECONDS)) {
                            late.add(show(client));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                event("left " + show(client) + ": " + why);
            }
        };
        Replier replier = message -> {
            sessionThreads.add(Thread.currentThread());
            if (asked.size() < RECORDED) {
                asked.add(message);
            }
            if (HOLD.equals(message)) {
                replierGate.pass();
            } else if (SAY_QUIT.equals(message)) {
                return QUIT_ANSWER;
            } else if (NO_ANSWER.equals(message)) {
                return null;
            }
            return answer(message);
        };
        this.harness = ServerHarness.start(new ServedLab() {
            @Override
            public void serve() throws Exception {
                server.serve(replier, recorder);
            }

            @Override
            public void stop() {
                shutdownNow(AFTER_CHECK_GRACE);
            }

            @Override
            public String stopCall() {
                return "shutdown()";
            }

            @Override
            public String notes() {
                return SHUTDOWN_NOTES;
            }

            @Override
            public String serveUntil() {
                return "the listener is closed";
            }

            @Override
            public String stopDoing() {
                return shutdownDoing(AFTER_CHECK_GRACE);
            }

            @Override
            public String endedEarly(Throwable thrown) {
                return " serve() ended before stopAccepting() or shutdown() was called, " + (thrown == null
                        ? "by returning" : "with " + thrown) + ": the accept loop runs until the listener is closed;"
                        + " what happens to one client ends only that client's session " + PEER_CLOSE_NOTES;
            }

            @Override
            public String stillServing(StackTraceElement[] stack) {
                return " Closing the listening socket makes a blocked accept() throw SocketException at once; when"
                        + " the listener is closed, that is serve()'s signal to return";
            }
        }, PROMPT, LIMIT);
    }

    /** Whether clients() lists {@code client} now; called on the student's own thread, inside an event. */
    private boolean listed(InetSocketAddress client) {
        try {
            return server.clients().contains(client);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Inside events.left(client, ...): "" if the client is gone from clients() and its accepted socket
     * is closed, else what is still there.
     */
    private String inLeft(InetSocketAddress client) {
        List<String> wrong = new ArrayList<>();
        Thread current = Thread.currentThread();
        if (!sessionThreads.contains(current)) {
            wrong.add("events.left ran on thread \"" + current.getName() + "\", which never talked to a client (it"
                    + " never asked the replier for an answer): call it on that client's session thread, as the last"
                    + " thing the session does");
        }
        if (listed(client)) {
            wrong.add("clients() still listed " + show(client) + ": remove a client when its session ends, before"
                    + " events.left");
        }
        if (TcpStates.readable()) {
            long open = TcpStates.count(TcpStates.ESTABLISHED, port, client.getPort())
                    + TcpStates.count(TcpStates.CLOSE_WAIT, port, client.getPort());
            if (open > 0) {
                wrong.add("the kernel still showed your server's end of that connection open (ESTABLISHED or"
                        + " CLOSE_WAIT): its socket was not closed yet");
            }
        }
        return String.join(", and ", wrong);
    }

    /** From now on, every events.left waits (bounded) until {@link #releaseLeft()}: busy sessions. */
    void holdLeft() {
        leftGate.shut();
    }

    void releaseLeft() {
        leftGate.open();
    }

    void releaseReplier() {
        replierGate.open();
    }

    /** Waits until {@code n} replier calls (on {@link #HOLD}) are held; fails the check if they are not. */
    void awaitRepliersHeld(int n, String hint) throws InterruptedException {
        try {
            replierGate.awaitHeld(n, PROMPT, "your server to ask the replier to answer \"" + HOLD + "\"");
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage() + " " + hint, e);
        }
    }

    /** How many events.left calls are being held now. */
    int leftsHeld() {
        return leftGate.held();
    }

    /** What was wrong inside events.left for this client ("" if nothing), or null if left was not called. */
    String seenInLeft(ReferenceClient client) {
        return seenInLeft.get(show(addressOf(client)));
    }

    /** What was wrong inside events.connected for this client ("" if nothing), or null if not called. */
    String seenInConnected(ReferenceClient client) {
        return seenInConnected.get(show(addressOf(client)));
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
        return echo(message);
    }

    static String show(InetSocketAddress address) {
        return address == null || address.getAddress() == null ? String.valueOf(address)
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** The address the server sees for this reference client: 127.0.0.1 and the client's port. */
    static InetSocketAddress addressOf(ReferenceClient client) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), client.localPort());
    }

    /** Binds 127.0.0.1, port 0, and starts serving. */
    static StudentServer start() throws Exception {
        return start(0);
    }

    /** Binds 127.0.0.1:{@code port} and starts serving. */
    static StudentServer start(int port) throws Exception {
        return start(port, server -> {
        });
    }

    /** What the checker does to the bound server before serve() starts (on this thread: serve's thread sees it). */
    interface BeforeServing {
        void accept(ClosingServer server) throws Exception;
    }

    /** Binds 127.0.0.1:{@code port}, lets {@code beforeServing} prepare the server, and starts serving. */
    static StudentServer start(int port, BeforeServing beforeServing) throws Exception {
        String call = "ClosingServer.bind(127.0.0.1, " + port + ", 50)";
        ClosingServer server;
        try {
            server = Student.call("calling " + call, LIMIT,
                    () -> ClosingServer.bind(InetAddress.getLoopbackAddress(), port, 50));
        } catch (IllegalArgumentException e) {
            throw new AssertionFailedError(call + " threw " + e + ", yet every argument is valid: port 0 asks the"
                    + " OS to choose a free port, and the backlog is at least 1 " + Notes.see("lab5", "task-bind"), e);
        }
        int bound = Student.call("asking the server for its port", LIMIT, server::port);
        beforeServing.accept(server);
        return new StudentServer(server, bound);
    }

    private void event(String event) {
        events.record(event);
    }

    /**
     * Waits for (and removes) the first event that {@code wanted} accepts; fails with how serve()
     * ended, what the replier was asked, and {@code hint}, if none comes.
     */
    private String await(Predicate<String> wanted, String waitingFor, String hint) throws InterruptedException {
        try {
            return events.await(wanted, PROMPT, waitingFor, "");
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage().strip() + endedEarly() + nullHint() + " " + hint, e);
        }
    }

    /** Waits for events.connected(...) naming this reference client. */
    void awaitConnected(ReferenceClient client, String who) throws InterruptedException {
        String wanted = "connected " + show(addressOf(client));
        await(wanted::equals, "events.connected(...) for " + who + ", 127.0.0.1:" + client.localPort(),
                "Call events.connected(client) after accept(), with getRemoteSocketAddress() of the new socket "
                        + SERVE_NOTES);
    }

    /** Waits for events.left(...) naming this reference client; returns why it left. */
    String awaitLeft(ReferenceClient client, String who, String hint) throws InterruptedException {
        String wanted = "left " + show(addressOf(client)) + ": ";
        String event = await(e -> e.startsWith(wanted), "events.left(...) for " + who + ", 127.0.0.1:"
                + client.localPort(), hint);
        return event.substring(wanted.length());
    }

    /** clients(), as "127.0.0.1:40000" strings, under the deadline. */
    List<String> clients() throws Exception {
        List<InetSocketAddress> clients = Student.call("calling clients()", LIMIT, server::clients);
        List<String> shown = new ArrayList<>();
        for (InetSocketAddress client : clients) {
            shown.add(show(client));
        }
        return shown;
    }

    /** The messages the server asked the replier to answer, in order (null included). */
    List<String> asked() {
        synchronized (asked) {
            return new ArrayList<>(asked);
        }
    }

    /** The threads that called the replier: the student's session threads. */
    Set<Thread> sessionThreads() {
        return Set.copyOf(sessionThreads);
    }

    boolean isServing() {
        return harness.isServing();
    }

    private String nullHint() {
        return asked().contains(null) ? " Your server asked the replier to answer null: readLine() returns null"
                + " when the client has closed (read() returned -1); that session is over, it is never a message "
                + PEER_CLOSE_NOTES : "";
    }

    /**
     * Why the client got no answer to {@code message}: what the replier was asked, or how serve()
     * ended. {@code failure} is the reference client's report; {@code notes} ends the message.
     */
    AssertionFailedError noAnswer(String message, AssertionFailedError failure, String notes) {
        String why;
        if (asked().contains(message)) {
            why = " Your server asked the replier for the answer to \"" + message + "\", but no line of it reached"
                    + " the client: write the answer and its \\n, then flush().";
        } else if (failure.getMessage().contains("closed the connection") || failure.getMessage().contains("reset")) {
            why = " Your server ended this client's connection without reading \"" + message + "\": its session"
                    + " ended, or something closed its socket.";
        } else if (!endedEarly().isEmpty()) {
            why = endedEarly();
        } else {
            why = " Your server did not ask the replier for an answer to \"" + message + "\": no session thread"
                    + " read that line. One thread per client: the listener's thread only accepts, starts the"
                    + " session thread of the new socket, and goes straight back to accept() " + SERVE_NOTES;
        }
        return new AssertionFailedError(failure.getMessage() + why + nullHint() + (why.contains(notes) ? "" : " " + notes),
                failure);
    }

    /**
     * " serve() ended before stopAccepting() or shutdown() was called, with …", or "" while serve()
     * runs (or may have ended); a skeleton's "Not implemented yet" fails the check as it is.
     */
    String endedEarly() {
        return harness.endedEarly();
    }

    /** Calls stopAccepting(), under the deadline. */
    void stopAccepting() throws Exception {
        harness.stopping();
        Student.run("calling stopAccepting()", LIMIT, server::stopAccepting);
    }

    /** Calls shutdown(grace), which must return within {@code limit}. */
    void shutdown(Duration grace, Duration limit) throws Exception {
        harness.stopCalled();
        Student.run(shutdownDoing(grace), limit, () -> shutdownNow(grace));
    }

    private static String shutdownDoing(Duration grace) {
        return "calling shutdown(" + (grace.toMillisPart() == 0 ? grace.toSeconds() + " s" : grace.toMillis() + " ms")
                + "), which must return as soon as its session threads have ended";
    }

    /** The student's shutdown(grace), then the mark that it returned (see {@link #watchForLateSessions()}). */
    private void shutdownNow(Duration grace) {
        try {
            server.shutdown(grace);
        } finally {
            CountDownLatch returned = shutdownReturned;
            if (returned != null) {
                returned.countDown();
            }
        }
    }

    /**
     * From now on events.left takes {@link #LATE_WINDOW}, unless shutdown() returns meanwhile: then
     * that client is recorded in {@link #lateSessions()}.
     */
    void watchForLateSessions() {
        shutdownReturned = new CountDownLatch(1);
    }

    /** The clients whose session thread was still in events.left when shutdown() returned. */
    List<String> lateSessions() {
        synchronized (late) {
            return new ArrayList<>(late);
        }
    }

    /** Waits for serve() to return after the listener was closed: it must, promptly. */
    void awaitServeReturned(String afterWhat, String notes) throws Exception {
        harness.awaitReturned(afterWhat, notes);
    }

    /** After the check: shuts the server down (unless the check did), and serve() must have returned. */
    @Override
    public void close() throws Exception {
        releaseReplier();
        releaseLeft();
        harness.close();
    }
}
