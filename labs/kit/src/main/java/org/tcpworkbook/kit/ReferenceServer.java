package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.AssertionFailedError;

/**
 * A scriptable server on an ephemeral loopback port, for checking a student's client. Script it,
 * run the student's code against it, then verify what it recorded:
 *
 * <pre>{@code
 * server.use(Policy.fragment(1));
 * server.replyWith("你好");
 * student.chat(server.address(), "hello");
 * assertThat(server.takeReceived(Duration.ofSeconds(2))).isEqualTo("hello");
 * }</pre>
 *
 * <p>Each accepted connection is served on its own thread: greeting lines first, then for every line
 * received, the next scripted reply (or the line itself, with {@link #echo()}), shaped by the
 * {@link Policy} in use when the connection was accepted.
 */
public final class ReferenceServer implements AutoCloseable {
    /** How long a connection waits for the next line before it gives up (tests end sooner). */
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(60);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(2);
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final ServerSocket listener;
    private final Transcript transcript;
    private final Thread acceptor;
    private final int id = SERVERS.incrementAndGet();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<Outcome> ended = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<List<byte[]>> replies = new ArrayDeque<>();
    private final List<byte[]> greeting = new ArrayList<>();
    private volatile Policy policy = Policy.NORMAL;
    private volatile boolean echo;
    private volatile boolean replyAtEnd;
    private volatile Wire latest;

    /** A connection the server accepted: who connected, and on which local port of theirs. */
    public record Connection(InetSocketAddress client, int number) { }

    private ReferenceServer(Transcript transcript) throws IOException {
        this.transcript = transcript;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        transcript.note("server", "listening on " + describe(address()));
        this.acceptor = new Thread(this::acceptLoop, "reference-server-" + id + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server on 127.0.0.1, port chosen by the OS, recording into its own transcript. */
    public static ReferenceServer start() throws IOException {
        return new ReferenceServer(new Transcript());
    }

    /** Starts a server recording into {@code transcript} (the one a failed check reports). */
    public static ReferenceServer start(Transcript transcript) throws IOException {
        return new ReferenceServer(transcript);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    public int port() {
        return listener.getLocalPort();
    }

    public Transcript transcript() {
        return transcript;
    }

    /** The policy for connections accepted from now on. */
    public ReferenceServer use(Policy policy) {
        this.policy = policy;
        transcript.note("server", "policy for new connections: " + policy);
        return this;
    }

    /** Lines sent to every new connection as soon as it is accepted. */
    public synchronized ReferenceServer greet(String... lines) {
        for (String line : lines) {
            greeting.add(Wire.line(line));
        }
        return this;
    }

    /** Queues one reply, sent after the next line received: one or more lines. */
    public synchronized ReferenceServer replyWith(String... lines) {
        List<byte[]> reply = new ArrayList<>();
        for (String line : lines) {
            reply.add(Wire.line(line));
        }
        replies.add(reply);
        return this;
    }

    /** Queues one reply of raw bytes (no line end added). */
    public synchronized ReferenceServer replyWithBytes(byte[] bytes) {
        replies.add(List.of(bytes.clone()));
        return this;
    }

    /** Answers every line for which no reply is queued with the same line. */
    public ReferenceServer echo() {
        this.echo = true;
        return this;
    }

    /**
     * Holds every reply until the client has shut down its output (the server reads -1: "I am done
     * sending, now answer"), then sends them all, in order, and closes the connection: a
     * request/response server. A client that never half-closes gets no answer at all.
     */
    public ReferenceServer replyAtEnd() {
        this.replyAtEnd = true;
        transcript.note("server", "answers only once the client has shut down its output");
        return this;
    }

    /**
     * The next line received from any client, without its {@code \n}. Fails the check, saying what
     * did arrive, when no whole line arrives within {@code timeout}.
     */
    public String takeReceived(Duration timeout) throws InterruptedException {
        String line = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line != null) {
            return line;
        }
        StringBuilder why = new StringBuilder("The reference server waited " + timeout.toMillis()
                + " ms for a line from your client, but no whole line arrived.");
        Wire wire = latest;
        if (wire == null) {
            why.append(" Your client never connected.");
        } else {
            byte[] partial = wire.unterminated();
            if (partial.length > 0) {
                why.append(" It did receive ").append(Transcript.describe(partial))
                        .append(" with no line end: send \"\\n\" after each message, and flush.");
            }
        }
        throw new AssertionFailedError(why.toString());
    }

    /** Waits for the next accepted connection; fails the check if none comes within {@code timeout}. */
    public Connection takeConnection(Duration timeout) throws InterruptedException {
        Connection connection = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (connection == null) {
            throw new AssertionFailedError("The reference server waited " + timeout.toMillis()
                    + " ms for your client to connect to " + describe(address()) + ", but it did not.");
        }
        return connection;
    }

    /**
     * Waits until a client ends its connection: {@link Outcome#EOF} when it closed (the server read
     * -1), {@link Outcome#RESET} when it reset. Fails the check if no client does within {@code timeout}.
     */
    public Outcome awaitClientEnd(Duration timeout) throws InterruptedException {
        Outcome outcome = ended.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (outcome == null) {
            throw new AssertionFailedError("The reference server waited " + timeout.toMillis()
                    + " ms for your client to close its connection, but it stayed open: close the socket"
                    + " when the conversation ends.");
        }
        return outcome;
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return sockets.size();
    }

    private void acceptLoop() {
        int number = 0;
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                number++;
                sockets.add(socket);
                InetSocketAddress client = (InetSocketAddress) socket.getRemoteSocketAddress();
                transcript.record("server", "accepted connection #" + number + " from " + describe(client));
                Policy forThis = policy;
                int n = number;
                Thread handler = new Thread(() -> serve(socket, forThis, n),
                        "reference-server-" + id + "-connection-" + n);
                handler.setDaemon(true);
                handlers.add(handler);
                handler.start();
                accepted.add(new Connection(client, n));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    transcript.record("server", "accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket socket, Policy policy, int number) {
        String who = "server";
        try (socket) {
            if (policy.ending() == Policy.Ending.STALL) {
                transcript.record(who, "stalls connection #" + number + ": it will never read nor write");
                closed.await();
                return;
            }
            Wire wire = new Wire(socket, policy, transcript, who);
            latest = wire;
            List<byte[]> hello;
            synchronized (this) {
                hello = List.copyOf(greeting);
            }
            if (!hello.isEmpty()) {
                wire.write(hello);
            }
            boolean outputOpen = true;
            if (wire.endingDue()) {
                outputOpen = endConnection(wire, policy);
                if (socket.isClosed()) {
                    return;
                }
            }
            List<byte[]> held = new ArrayList<>();
            while (true) {
                String line = wire.readLine(IDLE_LIMIT);
                if (line == null) {
                    ended.add(Outcome.EOF);
                    if (replyAtEnd && outputOpen) {
                        transcript.record(who, "connection #" + number + ": the request is complete (read -1);"
                                + " sends the response, then closes");
                        wire.write(held);
                    }
                    return;
                }
                received.add(line);
                if (!outputOpen) {
                    continue;
                }
                List<byte[]> reply = nextReply(line);
                if (reply == null) {
                    continue;
                }
                if (replyAtEnd) {
                    held.addAll(reply);
                    continue;
                }
                wire.write(reply);
                if (wire.endingDue()) {
                    outputOpen = endConnection(wire, policy);
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        } catch (SocketException e) {
            // (the socket is closed by now: try-with-resources closes it before this block runs)
            if (closed.getCount() > 0) { // not our own close(): the client reset the connection
                ended.add(Outcome.RESET);
                transcript.record(who, "connection #" + number + ": " + e.getMessage());
            }
        } catch (IOException e) {
            transcript.record(who, "connection #" + number + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the connection as the policy says; returns whether the server may still write. */
    private static boolean endConnection(Wire wire, Policy policy) throws IOException {
        wire.end();
        return policy.ending() != Policy.Ending.HALF_CLOSE;
    }

    private synchronized List<byte[]> nextReply(String line) {
        List<byte[]> reply = replies.poll();
        if (reply == null && echo) {
            reply = List.of(Wire.line(line));
        }
        return reply;
    }

    /** Closes the listener and every connection, and waits (bounded) for its threads to end. */
    @Override
    public void close() {
        closed.countDown();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        // The acceptor first: a connection it accepted just before the listener closed is in
        // `sockets` once it has ended, so the loop below closes that one too.
        join(acceptor);
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
        handlers.forEach(ReferenceServer::join);
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("kit defect: " + thread.getName() + " did not end within "
                    + JOIN_LIMIT.toMillis() + " ms of close()");
        }
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
