package org.tcpworkbook.lab6;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.RoomProtocol;

/**
 * A chat room (see {@link RoomProtocol}): every member has a reader thread, which reads its lines
 * and puts what it says in the other members' outgoing queues, and a writer thread, the only one
 * that writes to its socket, which sends what its queue holds. A queue holds at most
 * {@code queueLimit} lines: a member whose queue is full reads too slowly and is dropped, and nobody
 * ever waits for it.
 */
public final class ChatRoom implements Closeable {
    /** How long close() waits for the writers to send their goodbyes, then for every thread to end. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(1);
    /** The writer's "nothing more": after it, the writer ends. */
    private static final String END = new String("END");

    private final ServerSocket listener;
    private final int queueLimit;
    // tag::state[]
    /** The members, in the order they joined; guarded by itself, and never held while anything blocks. */
    private final List<Member> members = new ArrayList<>();
    /** Every connection's member, joined or not yet: close() ends them all. */
    private final Set<Member> connections = ConcurrentHashMap.newKeySet();
    // end::state[]
    private volatile RoomEvents events = RoomEvents.NONE;
    private volatile boolean closed;

    /**
     * A room for the members that connect to {@code listener} (bound and listening already); each
     * member's outgoing queue holds at most {@code queueLimit} lines (1 or more).
     */
    public ChatRoom(ServerSocket listener, int queueLimit) {
        if (queueLimit < 1) {
            throw new IllegalArgumentException("a queue holds 1 line or more, not " + queueLimit);
        }
        this.listener = listener;
        this.queueLimit = queueLimit;
    }

    /** Accepts members until {@link #close()}; each gets a reader and a writer thread of its own. */
    public void serve(RoomEvents events) throws IOException {
        this.events = events;
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (SocketException e) {
                if (listener.isClosed()) {
                    return;
                }
                throw e;
            }
            Member member = new Member(socket);
            connections.add(member);
            if (closed) {                                     // close() came while we accepted
                connections.remove(member);
                member.closeSocket();
                return;
            }
            member.start();
        }
    }

    /** The nicknames of the members, in the order they joined. */
    public List<String> members() {
        synchronized (members) {
            return members.stream().map(m -> m.nick).toList();
        }
    }

    // tag::close[]
    /**
     * Stops the room: closes the listener, sends every member {@link RoomProtocol#GOODBYE} and then
     * the end of the stream, and waits (up to a deadline) for every member's threads to end.
     */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        List<Member> all = List.copyOf(connections);       // members remove themselves as they end
        for (Member member : all) {
            member.finish(RoomProtocol.GOODBYE);             // the goodbye, then the writer ends
        }
        for (Member member : all) {
            member.join(member.writer, deadline);           // a writer stuck on a reader that never reads: bounded
            member.closeSocket();                           // the reader's read() ends at once
        }
        for (Member member : all) {
            member.join(member.reader, deadline + STOP_DEADLINE.toNanos());
        }
    }
    // end::close[]

    // tag::broadcast[]
    /** Puts {@code line} in the queue of every member but {@code from} (null: everyone); never blocks. */
    private void broadcast(Member from, String line) {
        List<Member> now;
        synchronized (members) {
            now = List.copyOf(members);                     // a snapshot: the lock is not held below
        }
        deliver(now, from, line);
    }

    private void deliver(List<Member> now, Member from, String line) {
        String sender = from == null ? null : from.nick;
        for (Member to : now) {
            if (to != from) {
                events.delivering(sender, to.nick, line);
                if (!to.queue.offer(line)) {                // full: it reads too slowly
                    drop(to);
                }
            }
        }
    }
    // end::broadcast[]

    /** Drops a member whose queue is full: out of the room at once, its socket closed, the others told. */
    private void drop(Member member) {
        if (remove(member)) {
            member.dropped = true;
            member.closeSocket();                           // its reader and its writer end
            broadcast(null, RoomProtocol.dropped(member.nick));
        }
    }

    /** Removes a member from the room; true for the one call that did. */
    private boolean remove(Member member) {
        synchronized (members) {
            return members.remove(member);
        }
    }

    /** One connection: its reader thread runs the session, its writer thread sends its queue. */
    private final class Member {
        final Socket socket;
        final InetSocketAddress from;
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(queueLimit);
        final Thread reader;
        final Thread writer;
        volatile String nick;
        volatile boolean dropped;

        Member(Socket socket) {
            this.socket = socket;
            this.from = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.reader = new Thread(this::session, "room-" + from.getPort());
            this.writer = new Thread(this::send, "room-" + from.getPort() + "-out");
        }

        void start() {
            writer.start();
            reader.start();
        }

        // tag::writer[]
        /** The writer thread: the only one that writes to this socket. */
        private void send() {
            try {
                Writer out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET));
                while (true) {
                    String line = queue.take();
                    if (line == END) {
                        out.flush();
                        socket.shutdownOutput();            // the end of the stream, after the last line
                        return;
                    }
                    out.write(line + "\n");
                    if (line.equals(RoomProtocol.GOODBYE)) {
                        out.flush();                        // the goodbye is the last line, even if a broadcast
                        socket.shutdownOutput();            // slipped in behind it while close() ran
                        return;
                    }
                    if (queue.isEmpty()) {
                        out.flush();                        // one write for a burst of lines
                    }
                }
            } catch (IOException | InterruptedException e) {
                closeSocket();                              // it is gone: the reader ends too
            }
        }
        // end::writer[]

        /** A line for this member alone (an answer, an error); a full queue drops it. */
        private void tell(String line) {
            if (!queue.offer(line)) {
                drop(this);
            }
        }

        // tag::session[]
        /** The reader thread: the nickname, then this member's lines, until it leaves. */
        private void session() {
            String why;
            try {
                socket.setSoTimeout(0);
                LineReader in = new LineReader(socket.getInputStream());
                tell(RoomProtocol.NICK_PROMPT);
                why = join(in) ? converse(in) : "left";
            } catch (BadLineException e) {
                tell(e.errorLine());
                why = "sent a bad line";
            } catch (IOException e) {
                why = closed ? "the room closed" : dropped ? "dropped: reads too slowly"
                        : e instanceof SocketException ? "reset" : "left";
            }
            if (remove(this) && !closed) {
                broadcast(this, RoomProtocol.left(nick));
            }
            finish(null);
            join(writer, System.nanoTime() + STOP_DEADLINE.toNanos());
            closeSocket();
            join(writer, System.nanoTime() + STOP_DEADLINE.toNanos());
            connections.remove(this);
            if (nick != null) {
                events.left(nick, closed ? "the room closed" : dropped ? "dropped: reads too slowly" : why);
            }
        }

        /** Asks for a nickname until a free one comes; false if the connection ends first. */
        private boolean join(LineReader in) throws IOException {
            while (true) {
                String line = in.readLine();
                if (line == null || ChatProtocol.isQuit(line)) {
                    return false;
                }
                String wanted = line.strip();
                if (!RoomProtocol.isValidNick(wanted)) {
                    tell(RoomProtocol.NICK_INVALID);
                    continue;
                }
                events.claiming(from, wanted);
                List<Member> others;
                boolean welcomed = false;
                synchronized (members) {
                    if (closed || taken(wanted)) {
                        others = null;
                    } else {
                        others = List.copyOf(members);
                        nick = wanted;
                        members.add(this);                  // checked and taken under one lock
                        // queued under the lock (offer never blocks): no broadcast reaches this
                        // member before its welcome
                        welcomed = queue.offer(RoomProtocol.welcome(nick, others.stream().map(m -> m.nick).toList()));
                    }
                }
                if (others == null) {
                    tell(RoomProtocol.NICK_TAKEN);
                    continue;
                }
                if (!welcomed) {
                    drop(this);
                }
                events.joined(nick);
                deliver(others, this, RoomProtocol.joined(nick)); // to the members its welcome named
                return true;
            }
        }

        private boolean taken(String wanted) {
            return members.stream().anyMatch(m -> m.nick.equals(wanted));
        }

        /** The member's lines, until it quits or goes; why it ended. */
        private String converse(LineReader in) throws IOException {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return "left";
                }
                if (ChatProtocol.isQuit(line)) {
                    tell(RoomProtocol.BYE);
                    return "quit";
                }
                String newNick = RoomProtocol.nickCommand(line);
                if (newNick != null) {
                    rename(newNick);
                } else if (line.strip().equals("/who")) {
                    tell(RoomProtocol.who(members()));
                } else if (line.startsWith("/")) {
                    tell(RoomProtocol.UNKNOWN_COMMAND);
                } else if (line.isEmpty()) {
                    tell(RoomProtocol.EMPTY);
                } else if (!RoomProtocol.fits(nick, line)) {
                    tell(RoomProtocol.TOO_LONG_TO_SAY);
                } else {
                    broadcast(this, RoomProtocol.said(nick, line));
                }
            }
        }

        private void rename(String wanted) {
            if (!RoomProtocol.isValidNick(wanted)) {
                tell(RoomProtocol.NICK_INVALID);
                return;
            }
            String old = nick;
            synchronized (members) {
                if (taken(wanted)) {
                    old = null;
                } else {
                    nick = wanted;
                }
            }
            if (old == null) {
                tell(RoomProtocol.NICK_TAKEN);
            } else {
                String news = RoomProtocol.renamed(old, wanted);
                tell(news);
                broadcast(this, news);
            }
        }
        // end::session[]

        /** Queues a last line (if any, and if there is room), then the end; never blocks. */
        void finish(String last) {
            if (last != null && !queue.offer(last)) {
                queue.clear();                              // no room: the goodbye goes before what waited
                queue.offer(last);
            }
            if (!queue.offer(END)) {
                closeSocket();                              // a writer stuck on a full queue: end it now
                writer.interrupt();
            }
        }

        void join(Thread thread, long deadline) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left > 0 && thread.isAlive()) {
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void closeSocket() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }
}
