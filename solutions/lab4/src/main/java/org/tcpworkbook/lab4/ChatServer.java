package org.tcpworkbook.lab4;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * The chat server for many clients at once: each client has its own conversation on its own
 * thread, either a new thread per client or one of a fixed pool of workers.
 */
public final class ChatServer implements Closeable {
    /** How long close() waits for the conversations to end once their sockets are closed. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(1);
    /** How long the accepting thread reads a turned-away client's input before it closes the socket. */
    static final Duration DRAIN_TIME = Duration.ofMillis(100);
    /** How much of a turned-away client's input it reads, at most. */
    static final int DRAIN_BYTES = 8192;

    private final ServerSocket listener;
    private final int idleMillis;
    /** The pool of workers, or null for a thread per client. */
    private final ExecutorService pool;
    /** One permit per worker: a client that finds none is turned away. Null for a thread per client. */
    private final Semaphore free;
    /** The conversations going on, each with its socket and thread: close() ends and joins them. */
    private final Set<Conversation> conversations = ConcurrentHashMap.newKeySet();
    // tag::shared[]
    /** Who is online: shared by every conversation's thread, so a thread-safe list. */
    private final List<InetSocketAddress> online = new CopyOnWriteArrayList<>();
    /** Messages answered, all clients together: an atomic counter, since threads race to count. */
    private final AtomicLong messages = new AtomicLong();
    // end::shared[]
    private volatile boolean closed;

    /**
     * A server for the clients that connect to {@code listener} (bound and listening already), each
     * dropped after {@code idleTimeout} of silence. {@code workers} is 0 for a new thread per
     * client, with no limit; otherwise at most that many clients are served at once, by a fixed
     * pool of threads, and a client that arrives while all of them are busy is sent
     * {@link ChatProtocol#BUSY} and closed.
     */
    public ChatServer(ServerSocket listener, int workers, Duration idleTimeout) {
        if (workers < 0) {
            throw new IllegalArgumentException("workers is 0 (a thread per client) or more, not " + workers);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        this.listener = listener;
        this.idleMillis = (int) Math.max(1, idleTimeout.toMillis()); // 0.5 ms is 1 ms, never 0 (for ever)
        this.pool = workers == 0 ? null : Executors.newFixedThreadPool(workers);
        this.free = workers == 0 ? null : new Semaphore(workers);
    }

    // tag::serve[]
    /**
     * Accepts clients until {@link #close()} and starts a conversation with each, so that a slow
     * or silent client never keeps the others waiting.
     */
    public void serve(Replier replier, ServerEvents events) throws IOException {
        while (true) {
            Socket client;
            try {
                client = listener.accept();                   // the only thing this thread does
            } catch (SocketException e) {
                if (listener.isClosed()) {
                    return;                                   // close() stopped the server
                }
                throw e;
            }
            if (free != null && !free.tryAcquire()) {         // every worker is busy
                turnAway(client, events);
                continue;
            }
            Conversation conversation = new Conversation(client, replier, events);
            conversations.add(conversation);
            if (closed || !start(conversation)) {             // close() came while we accepted
                conversation.end();
                return;
            }
        }
    }
    // end::serve[]

    // tag::start[]
    private boolean start(Conversation conversation) {
        if (pool == null) {
            Thread thread = new Thread(conversation, "chat-" + conversation.from.getPort());
            conversation.thread = thread;                     // a new thread per client: the course's design
            thread.start();
            return true;
        }
        try {
            pool.execute(conversation);                       // a worker of the pool takes it
            return true;
        } catch (RejectedExecutionException e) {
            return false;                                     // the pool is shut down: we are stopping
        }
    }
    // end::start[]

    // tag::busy[]
    /** The policy when every worker is busy: say so, and close at once (never keep it waiting). */
    private static void turnAway(Socket client, ServerEvents events) {
        InetSocketAddress from = (InetSocketAddress) client.getRemoteSocketAddress();
        try (client) {
            Writer out = new OutputStreamWriter(client.getOutputStream(), ChatProtocol.CHARSET);
            out.write(ChatProtocol.BUSY + "\n");
            out.flush();
            client.shutdownOutput();                          // FIN now: the client has the line, then the end
            drain(client);                                    // read what it sent, so the close is no reset
        } catch (IOException e) {
            // the client is gone already: nothing to tell it
        }
        events.turnedAway(from);
    }

    /**
     * Reads and drops what the client sent, until it closes too, but for at most
     * {@link #DRAIN_TIME} and {@link #DRAIN_BYTES}: closing a socket with unread input resets the
     * connection, and a reset may cost the client the busy line.
     */
    private static void drain(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[1024];
        long deadline = System.nanoTime() + DRAIN_TIME.toNanos();
        for (int read = 0; read < DRAIN_BYTES; ) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left < 1) {
                return;                                       // a client that never closes: enough waiting
            }
            client.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return;
            }
            if (n == -1) {
                return;                                       // the client closed too: a clean end
            }
            read += n;
        }
    }
    // end::busy[]

    /** The clients connected right now, in the order they came. */
    public List<InetSocketAddress> online() {
        return List.copyOf(online);
    }

    /** How many messages the server has answered since it started, all clients together. */
    public long messages() {
        return messages.get();
    }

    // tag::close[]
    /**
     * Stops the server: closes the listener (serve() returns, new clients are refused), closes every
     * client's socket (a conversation blocked in read() ends at once), and waits, up to a
     * deadline, for every conversation's thread to end.
     */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        for (Conversation conversation : conversations) {
            conversation.end();
        }
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        try {
            if (pool != null) {
                pool.shutdown();
                pool.awaitTermination(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                for (Conversation conversation : conversations) {
                    Thread thread = conversation.thread;
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (thread != null && left > 0) {
                        thread.join(left);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
    // end::close[]

    /** One client's conversation, on its own thread. */
    private final class Conversation implements Runnable {
        final Socket socket;
        final InetSocketAddress from;
        final Replier replier;
        final ServerEvents events;
        volatile Thread thread;

        Conversation(Socket socket, Replier replier, ServerEvents events) {
            this.socket = socket;
            this.from = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.replier = replier;
            this.events = events;
        }

        // tag::conversation[]
        @Override
        public void run() {
            online.add(from);
            events.connected(from);
            String why;
            try (socket) {
                socket.setSoTimeout(idleMillis);
                why = converse();
            } catch (SocketTimeoutException e) {
                why = "was silent too long";
            } catch (IOException e) {
                why = closed ? "was disconnected: the server stops" : "was lost: " + e.getMessage();
            } finally {
                online.remove(from);
                conversations.remove(this);
                if (free != null) {
                    free.release();                           // the worker is free for the next client
                }
            }
            events.left(from, why);                           // told once the socket is closed
        }
        // end::conversation[]

        // tag::bounded[]
        private String converse() throws IOException {
            LineReader in = new LineReader(socket.getInputStream());  // never more than MAX_LINE_BYTES of a line
            Writer out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET));
            while (true) {
                String message;
                try {
                    message = in.readLine();
                } catch (BadLineException e) {                // too long (the rest unread), or not UTF-8
                    out.write(e.errorLine() + "\n");         // tell this client why,
                    out.flush();
                    return "sent a line the protocol refuses: " + e.getMessage(); // and end its conversation only
                }
                // end::bounded[]
                if (message == null) {
                    return "left";
                }
                if (ChatProtocol.isQuit(message)) {
                    return "quit";
                }
                String answer = replier.replyTo(message);
                if (answer == null) {
                    return "was given no answer";
                }
                messages.incrementAndGet();
                out.write(answer + "\n");
                out.flush();
                if (ChatProtocol.isQuit(answer)) {
                    return "was sent the quit word";
                }
            }
        }

        /** Closes the socket: a read() blocked in this conversation throws at once. */
        void end() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }
}
