package org.tcpworkbook.lab4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.ServedLab;
import org.tcpworkbook.kit.ServerHarness;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Threads;

/**
 * The student's ChatServer on a listener the checker bound (127.0.0.1, port 0), serving under the
 * shared {@link ServerHarness} (which runs serve() and checks the stop), answering "你说: " + each
 * message, and recording its events. Kept out of the checker class so that a failure report names
 * the check, not this helper.
 */
final class StudentServer implements AutoCloseable {
    /** How long one call into the student's code (the constructor, online(), close()) may take. */
    static final Duration LIMIT = Duration.ofSeconds(2);
    /** How long the checker waits for what a correct server does at once (an answer, an event). */
    static final Duration PROMPT = Duration.ofSeconds(1);
    static final String STOP_NOTES = Notes.see("lab4", "task-stop");
    static final String THREAD_NOTES = Notes.see("lab4", "task-threads");

    final ChatServer server;
    final int port;
    final int workers;
    /** The threads alive before the server was made: every thread it starts counts from here. */
    final Threads threads;
    private final ServerSocket listener;
    private final ServerHarness harness;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** Every event told, in order, for diagnosis ("left 4711 why"). */
    final List<String> told = new CopyOnWriteArrayList<>();
    /** The thread that told connected, and the one that told left, for each client port. */
    final Map<Integer, Thread> connectedOn = new ConcurrentHashMap<>();
    final Map<Integer, Thread> leftOn = new ConcurrentHashMap<>();
    /** The reason handed to events.left, for each client port. */
    final Map<Integer, String> why = new ConcurrentHashMap<>();
    /** What the checker does inside an event or a reply, on the student's thread (the checker's hooks). */
    volatile Hook onConnected = client -> { };
    volatile Hook onLeft = client -> { };
    volatile Hook onTurnedAway = client -> { };
    volatile Replying onReply = message -> { };

    /** Code the checker runs inside a callback of the student's server, on the student's thread. */
    @FunctionalInterface
    interface Hook {
        void at(InetSocketAddress client) throws Exception;
    }

    /** Code the checker runs inside the replier, before it answers. */
    @FunctionalInterface
    interface Replying {
        void at(String message) throws Exception;
    }

    /** A message the checker's replier answers with null: the conversation must end at once, unanswered. */
    static final String NO_ANSWER = "[answer me with null]";
    /** A message the checker's replier answers with the quit word 关闭: sent, then the conversation ends. */
    static final String SAY_QUIT = "[answer me with the quit word]";

    private StudentServer(ChatServer server, ServerSocket listener, int workers, Threads threads) {
        this.server = server;
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.workers = workers;
        this.threads = threads;
        ServerEvents recorder = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                connectedOn.put(client.getPort(), Thread.currentThread());
                hook(onConnected, client);
                tell("connected " + client.getPort());
            }

            @Override
            public void left(InetSocketAddress client, String reason) {
                leftOn.put(client.getPort(), Thread.currentThread());
                why.put(client.getPort(), String.valueOf(reason));
                hook(onLeft, client);
                tell("left " + client.getPort());
            }

            @Override
            public void turnedAway(InetSocketAddress client) {
                hook(onTurnedAway, client);
                tell("turned away " + client.getPort());
            }
        };
        Replier replier = message -> {
            try {
                onReply.at(message);
            } catch (Exception e) {
                told.add("the checker's replier failed: " + e);
            }
            return reply(message);
        };
        this.harness = ServerHarness.start(new ServedLab() {
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
            public void notImplemented() {
                ServerHarness.closeEveryConnection(listener);
                events.add(SERVE_ENDED);
            }

            @Override
            public String stopDoing() {
                return "stopping the server with close(), which must end every conversation and wait for its thread,"
                        + " up to a deadline of its own";
            }

            @Override
            public String endedEarly(Throwable thrown) {
                return thrown == null
                        ? " serve() returned before close() was called: it must accept clients until the server is"
                        + " stopped " + THREAD_NOTES
                        : " serve() ended with " + thrown + " before close() was called: a client that leaves or"
                        + " misbehaves ends only its own conversation " + THREAD_NOTES;
            }

            @Override
            public String stillServing(StackTraceElement[] stack) {
                return " close() must close the listening socket: a blocked accept() then throws SocketException,"
                        + " the signal for serve() to return";
            }

            @Override
            public void stopped(String failed) throws Exception {
                threadsEnded(failed);
            }
        }, PROMPT, LIMIT);
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

    /** What the checker's replier answers: {@link #answer}, except for {@link #NO_ANSWER} and {@link #SAY_QUIT}. */
    static String reply(String message) {
        if (NO_ANSWER.equals(message)) {
            return null;
        }
        return SAY_QUIT.equals(message) ? "关闭" : answer(message);
    }

    private void tell(String event) {
        told.add(event);
        events.add(event);
    }

    private void hook(Hook hook, InetSocketAddress client) {
        try {
            hook.at(client);
        } catch (Exception | AssertionError e) {
            told.add("the checker's hook failed: " + e);
        }
    }

    /** "1500 ms", "0.5 ms": a Duration as the student wrote it, never rounded to 0. */
    static String millis(Duration d) {
        return new java.math.BigDecimal(d.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString() + " ms";
    }

    /** Forgets the events told so far (awaitEvents then waits for new ones only). */
    void forgetEvents() {
        events.clear();
    }

    /** A server with {@code workers} workers (0: a thread per client) on a fresh loopback listener. */
    static StudentServer start(int workers, Duration idleTimeout) throws Exception {
        return start(workers, idleTimeout, port -> { });
    }

    /** What the checker does on the listener's port before the server is made (clients that come early). */
    @FunctionalInterface
    interface Early {
        void on(int port) throws Exception;
    }

    /** What the checker does to the server once it is made, before it serves (on this thread: serve's thread sees it). */
    @FunctionalInterface
    interface BeforeServing {
        void accept(ChatServer server) throws Exception;
    }

    /** The same, with {@code early} run once the listener is bound, before the server is made and serves. */
    static StudentServer start(int workers, Duration idleTimeout, Early early) throws Exception {
        return start(workers, idleTimeout, early, server -> { });
    }

    /** The same, with {@code beforeServing} run on the server once it is made, before it serves. */
    static StudentServer start(int workers, Duration idleTimeout, Early early, BeforeServing beforeServing) throws Exception {
        ServerSocket listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        try {
            early.on(listener.getLocalPort());
        } catch (Exception | AssertionError e) {
            listener.close();
            throw e;
        }
        Threads threads = Threads.now();
        String call = "new ChatServer(listener on 127.0.0.1:" + listener.getLocalPort() + ", " + workers + ", "
                + millis(idleTimeout) + ")";
        try {
            ChatServer server = Student.call("calling " + call, LIMIT, () -> new ChatServer(listener, workers, idleTimeout));
            beforeServing.accept(server);
            return new StudentServer(server, listener, workers, threads);
        } catch (Exception | AssertionError e) {
            listener.close();
            if (e instanceof IllegalArgumentException) {
                throw new AssertionFailedError(call + " threw " + e + ", yet every argument is valid: 0 workers means"
                        + " a thread per client " + Notes.see("lab4", "task-pool"), e);
            }
            throw e;
        }
    }

    /**
     * Waits for the server to report, for each of {@code ports}, the event {@code kind} ("left",
     * "connected", "turned away"); other events are skipped. Fails, with {@code hint}, when one is
     * missing after {@link #PROMPT}.
     */
    void awaitEvents(String kind, List<Integer> ports, String hint) throws InterruptedException {
        Set<Integer> missing = new TreeSet<>(ports);
        long deadline = System.nanoTime() + PROMPT.toNanos() + ports.size() * 20_000_000L;
        while (!missing.isEmpty()) {
            String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionFailedError("Your server did not report \"" + kind + "\" for the client"
                        + (missing.size() == 1 ? " from port " : "s from ports ") + missing + " in time."
                        + ownAddress() + endedEarly() + " " + hint);
            }
            if (event.startsWith(kind + " ")) {
                missing.remove(Integer.parseInt(event.substring(kind.length() + 1)));
            }
        }
    }

    /**
     * " It reported events for port P, the listening port: …" when the server named its own address
     * (getLocalSocketAddress) instead of the client's; else "".
     */
    String ownAddress() {
        boolean own = told.stream().anyMatch(e -> e.matches("(connected|left|turned away) " + port));
        return own ? " It reported events for port " + port + ", the port your server listens on: that is the"
                + " server's own end of the connection (getLocalSocketAddress()); the client's address and port are"
                + " getRemoteSocketAddress() " + THREAD_NOTES + "." : "";
    }

    /**
     * Waits up to {@code within} for the event {@code kind} of the client from {@code port} and returns
     * System.nanoTime() when it came; fails with {@code hint} when it does not come.
     */
    long awaitEvent(String kind, int port, Duration within, String hint) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionFailedError("Your server did not report \"" + kind + "\" for the client from port "
                        + port + " within " + within.toMillis() + " ms." + ownAddress() + endedEarly() + " " + hint);
            }
            if (event.equals(SERVE_ENDED)) {
                events.add(SERVE_ENDED);                      // for every later wait too (endedEarly awaits serve()'s end)
                throw new AssertionFailedError("Your server did not report \"" + kind + "\" for the client from port "
                        + port + "." + ownAddress() + endedEarly() + " " + hint);
            }
            if (event.equals(kind + " " + port)) {
                return System.nanoTime();
            }
        }
    }

    /** Put in the events by a skeleton's serve() as it ends: no event will come, and no wait need last. */
    private static final String SERVE_ENDED = "(serve() ended: no more events)";

    /** Says that the check is about to call close() itself, so that serve() returning is expected. */
    void closedByCheck() {
        harness.stopping();
    }

    /** The thread that runs serve(): the accepting thread. */
    Thread servingThread() {
        return harness.servingThread();
    }

    boolean isServing() {
        return harness.isServing();
    }

    /**
     * " serve() ended before close() was called, with …", or "" while it runs; a skeleton's "Not
     * implemented yet" fails the check as it is.
     */
    String endedEarly() {
        return harness.endedEarly();
    }

    /**
     * Stops the server as a stop must go: close() returns within {@link #LIMIT}, serve() returns, and
     * every thread the server started ends within {@link #PROMPT}.
     */
    void stop() throws Exception {
        try {
            harness.stop();
        } finally {
            listener.close();
        }
    }

    /** Fails the check, after {@code failed}, unless every thread the server started ended within {@link #PROMPT}. */
    private void threadsEnded(String failed) throws InterruptedException {
        List<String> running = threads.stillRunningAfter(PROMPT);
        if (!running.isEmpty()) {
            throw new AssertionFailedError(failed + "close() returned, but " + running.size() + " of the threads"
                    + " your server started " + (running.size() == 1 ? "was" : "were") + " still running "
                    + PROMPT.toSeconds() + " s later: " + String.join("; ", running.subList(0, Math.min(3, running.size())))
                    + ". close() must close every client's socket (a thread blocked in read() then gets a"
                    + " SocketException and ends) and wait for the threads: join() each, or shutdown() and"
                    + " awaitTermination() the pool " + STOP_NOTES);
        }
    }

    /** After the check: the server must stop as a stop must go. */
    @Override
    public void close() throws Exception {
        try {
            harness.close();
        } finally {
            listener.close();
        }
    }
}
