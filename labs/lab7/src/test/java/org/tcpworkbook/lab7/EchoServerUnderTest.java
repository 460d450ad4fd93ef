package org.tcpworkbook.lab7;

import java.io.Closeable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Threads;

/**
 * The student's echo server, virtual threads or Selector, on a listener the checker bound
 * (127.0.0.1, port 0, backlog 4096), serving on a thread of the kit's under the checker's deadlines.
 */
final class EchoServerUnderTest implements LineEchoServer, AutoCloseable {
    /** How long one call into the student's code (constructor, connections(), close()) may take. */
    static final Duration LIMIT = Duration.ofSeconds(2);
    /** close() waits up to 5 s for the conversations: it gets a little more. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(7);
    /** How long the checker waits for what a correct server does at once. */
    static final Duration PROMPT = Duration.ofSeconds(2);

    enum Kind {
        VIRTUAL("VirtualEchoServer", Notes.see("lab7", "task-virtual")),
        SELECTOR("SelectorEchoServer", Notes.see("lab7", "task-selector"));

        final String type;
        final String notes;

        Kind(String type, String notes) {
            this.type = type;
            this.notes = notes;
        }
    }

    final Kind kind;
    final int port;
    /** The platform threads alive before the server was made. */
    final Threads threads;
    private final Closeable server;
    private final Callable<Integer> connections;
    private final Student.Running<Void> serving;
    private final Closeable listener;
    private boolean closed;

    private EchoServerUnderTest(Kind kind, int port, Threads threads, Closeable server, Callable<Integer> connections,
                                Student.Running<Void> serving, Closeable listener) {
        this.kind = kind;
        this.port = port;
        this.threads = threads;
        this.server = server;
        this.connections = connections;
        this.serving = serving;
        this.listener = listener;
    }

    static EchoServerUnderTest start(Kind kind) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Threads threads = Threads.now();
        if (kind == Kind.VIRTUAL) {
            ServerSocket listener = new ServerSocket(0, 4096, loopback);
            try {
                VirtualEchoServer s = Student.call("calling new VirtualEchoServer(listener)", LIMIT,
                        () -> new VirtualEchoServer(listener));
                Student.Running<Void> serving = Student.start("running VirtualEchoServer.serve()", () -> {
                    s.serve();
                    return null;
                });
                return new EchoServerUnderTest(kind, listener.getLocalPort(), threads, s, s::connections, serving, listener);
            } catch (Exception | AssertionError e) {
                listener.close();
                throw e;
            }
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(loopback, 0), 4096);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            SelectorEchoServer s = Student.call("calling new SelectorEchoServer(listener)", LIMIT,
                    () -> new SelectorEchoServer(listener));
            Student.Running<Void> serving = Student.start("running SelectorEchoServer.serve()", () -> {
                s.serve();
                return null;
            });
            return new EchoServerUnderTest(kind, port, threads, s, s::connections, serving, listener);
        } catch (Exception | AssertionError e) {
            listener.close();
            throw e;
        }
    }

    @Override
    public LineClient connect(String name) throws Exception {
        failIfEnded();
        return LineClient.connect(port, name, this::failIfEnded);
    }

    @Override
    public String notes() {
        return kind.notes;
    }

    /**
     * Fails at once, saying how, when serve() has ended (the skeleton's "not implemented", an exception)
     * before the checker called close(); after it, serve()'s end is what {@link #stop} awaits.
     */
    @Override
    public void failIfEnded() throws Exception {
        if (serving.isDone() && !closed) {
            try {
                serving.await(Duration.ZERO);
            } catch (AssertionFailedError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionFailedError(kind.type + ".serve() ended early, with " + e + ", while clients were"
                        + " still to be served " + kind.notes, e);
            }
            throw new AssertionFailedError(kind.type + ".serve() returned before close() was called: it must serve"
                    + " until close() " + kind.notes);
        }
    }

    /** The student's connections(), under the deadline. */
    int connections() throws Exception {
        failIfEnded();
        return Student.call("calling " + kind.type + ".connections()", LIMIT, connections);
    }

    /** Waits (up to {@code wait}) until connections() returns {@code expected}; fails with the last value. */
    void awaitConnections(int expected, Duration wait, String why) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        int now = connections();
        while (now != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);                               // polling the student's own counter
            now = connections();
        }
        if (now != expected) {
            throw new AssertionFailedError(why + ": " + kind.type + ".connections() returned " + now + ", not "
                    + expected + ", after " + wait.toMillis() + " ms " + kind.notes);
        }
    }

    /** The thread serve() runs on. */
    Thread servingThread() {
        return serving.thread();
    }

    /** The platform threads the student's code started and that are still running. */
    List<Thread> started() {
        return threads.started();
    }

    /**
     * CPU time, in ns, of every thread that can run the server's code: serve()'s thread, the
     * threads it started, and (virtual threads) the JDK's carrier threads.
     */
    long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Set<Thread> all = new LinkedHashSet<>();
        all.add(serving.thread());
        all.addAll(started());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
                all.add(t);
            }
        }
        long sum = 0;
        for (Thread t : all) {
            long cpu = mx.getThreadCpuTime(t.threadId());
            sum += Math.max(cpu, 0);
        }
        return sum;
    }

    /** Where the server's threads are now (for a busy-loop report). */
    String where() {
        List<String> where = new ArrayList<>();
        where.add(Threads.describe(serving.thread()));
        for (Thread t : started()) {
            where.add(Threads.describe(t));
        }
        return String.join("; ", where.subList(0, Math.min(3, where.size())));
    }

    /** The student's close(), under its deadline; then serve() must return. Idempotent. */
    void stop() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Student.run("calling " + kind.type + ".close()", CLOSE_LIMIT, server::close);
            if (!serving.isDone()) {
                try {
                    serving.await(Duration.ofSeconds(2));
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(kind.type + ".serve() had not returned 2 s after close() returned: "
                            + e.getMessage() + " " + Notes.see("lab7", "task-stop"), e);
                }
            }
        } finally {
            listener.close();                               // the checker's own: never left open by a failed check
        }
    }

    boolean serveReturned() {
        return serving.isDone();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
