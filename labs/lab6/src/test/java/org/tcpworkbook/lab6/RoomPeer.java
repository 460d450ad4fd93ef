package org.tcpworkbook.lab6;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.kit.Transcript;

/**
 * A reference member of the room, light enough for 50 at once: a thread of its own reads every line
 * the room sends into a list (so that the room never waits for this member unless the check wants
 * it: see {@link #slow}), and the check awaits lines from that list, bounded. Its reading thread is
 * joined by {@link #close()}.
 */
final class RoomPeer implements AutoCloseable {
    /** The end of the stream, as recorded among the lines. */
    static final String EOF = "<end of stream>";
    static final String RESET = "<connection reset>";

    final String who;
    final Socket socket;
    private final OutputStream out;
    private final List<String> lines = new ArrayList<>();
    private final Thread reading;
    private int taken;

    private RoomPeer(String who, Socket socket, boolean read) throws IOException {
        this.who = who;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reading = read ? new Thread(this::readAll, "checker-peer-" + who) : null;
        if (reading != null) {
            reading.setDaemon(true);
            reading.start();
        }
    }

    /** Connects to the room at 127.0.0.1:port, reading everything it sends as it comes. */
    static RoomPeer connect(String who, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return new RoomPeer(who, socket, true);
    }

    /**
     * Connects with a receive buffer of {@code receiveBuffer} bytes (set before the connect, so the
     * window is small from the start), and reads only what the check asks for with {@link #readLine}.
     */
    static RoomPeer slow(String who, int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return new RoomPeer(who, socket, false);
    }

    private void readAll() {
        try {
            LineReader in = new LineReader(socket.getInputStream(), ChatProtocol.MAX_LINE_BYTES * 2);
            String line;
            while ((line = in.readLine()) != null) {
                add(line);
            }
            add(EOF);
        } catch (SocketException e) {
            add(socket.isClosed() ? EOF : RESET);
        } catch (IOException e) {
            add(EOF);
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    /** Sends one line, UTF-8, {@code \n} added, in one write. */
    RoomPeer send(String line) throws IOException {
        out.write((line + "\n").getBytes(ChatProtocol.CHARSET));
        out.flush();
        return this;
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line not yet taken; fails the check if none comes within {@code limit}. */
    synchronized String next(Duration limit, String waitingFor) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (taken >= lines.size()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionFailedError(who + " waited " + limit.toMillis() + " ms for " + waitingFor
                        + ", but no line came; it had received " + shown(lines) + ".");
            }
            wait(left);
        }
        return lines.get(taken++);
    }

    /** Skips lines until one {@code wanted} accepts, and returns it; fails if none comes in time. */
    synchronized String await(Predicate<String> wanted, Duration limit, String waitingFor) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            while (taken < lines.size()) {
                String line = lines.get(taken++);
                if (wanted.test(line)) {
                    return line;
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionFailedError(who + " waited " + limit.toMillis() + " ms for " + waitingFor
                        + ", but it did not come; it had received " + shown(lines) + ".");
            }
            wait(left);
        }
    }

    /** Waits until {@code n} lines in all were received (or the end); returns every line so far. */
    synchronized List<String> awaitCount(int n, Duration limit) throws InterruptedException {
        return awaitCount(n, line -> true, limit);
    }

    /** Waits until {@code n} lines that {@code counted} accepts were received (or the end); returns every line so far. */
    synchronized List<String> awaitCount(int n, Predicate<String> counted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (lines.stream().filter(counted).count() < n && !ended()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return List.copyOf(lines);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    private boolean ended() {
        return !lines.isEmpty() && (lines.get(lines.size() - 1) == EOF || lines.get(lines.size() - 1) == RESET);
    }

    /** Connects and joins as {@code nick}: the prompt, then the welcome. */
    static RoomPeer join(String nick, int port, Duration limit) throws IOException, InterruptedException {
        RoomPeer peer = connect(nick, port);
        peer.joinAs(nick, limit);
        return peer;
    }

    void joinAs(String nick, Duration limit) throws IOException, InterruptedException {
        String prompt = next(limit, "the room's nickname prompt");
        if (!prompt.equals(org.tcpworkbook.chat.RoomProtocol.NICK_PROMPT)) {
            throw new AssertionFailedError(who + " expected the prompt \"" + org.tcpworkbook.chat.RoomProtocol.NICK_PROMPT
                    + "\" as the first line from the room, got \"" + Transcript.escape(prompt) + "\"");
        }
        send(nick);
        String welcome = next(limit, "its welcome after sending the nickname " + nick);
        if (!welcome.startsWith("*** 欢迎 welcome " + nick)) {
            throw new AssertionFailedError(who + " sent the free nickname \"" + nick + "\" and expected"
                    + " RoomProtocol.welcome(\"" + nick + "\", ...), got \"" + Transcript.escape(welcome) + "\"");
        }
    }

    /** For a {@link #slow} peer: reads the prompt, sends the nickname, reads the welcome, then reads nothing. */
    void joinAsSlow(String nick, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        LineReader in = slowReader();
        String prompt = in.readLine();
        send(nick);
        String welcome = in.readLine();
        if (!org.tcpworkbook.chat.RoomProtocol.NICK_PROMPT.equals(prompt) || welcome == null
                || !welcome.startsWith("*** 欢迎 welcome " + nick)) {
            throw new AssertionFailedError(who + " expected the prompt, then the welcome for " + nick + "; got \""
                    + prompt + "\", then \"" + welcome + "\"");
        }
    }

    private LineReader slowIn;

    private LineReader slowReader() throws IOException {
        if (slowIn == null) {
            slowIn = new LineReader(socket.getInputStream(), ChatProtocol.MAX_LINE_BYTES * 2);
        }
        return slowIn;
    }

    /**
     * For a {@link #slow} peer that was dropped: reads what the room had sent it, which must end
     * (the room closed its connection) within {@code limit}.
     */
    void drainToEnd(Duration limit, String notes) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        socket.setSoTimeout(200);
        LineReader in = slowReader();
        long lines = 0;
        while (System.nanoTime() < deadline) {
            try {
                if (in.readLine() == null) {
                    return;
                }
                lines++;
            } catch (java.net.SocketTimeoutException e) {
                // nothing for 200 ms: look at the clock, read on
            } catch (SocketException | java.io.EOFException e) {
                return;                                     // reset, or closed in the middle of a line: ended too
            }
        }
        throw new AssertionFailedError(who + " was dropped, yet after " + lines + " lines its connection was still"
                + " open " + limit.toSeconds() + " s later: a dropped member's socket is closed at once " + notes);
    }

    /** Resets the connection (RST). */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        if (reading != null) {
            try {
                reading.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String shown(List<String> lines) {
        if (lines.isEmpty()) {
            return "nothing";
        }
        List<String> tail = lines.size() > 8 ? lines.subList(lines.size() - 8, lines.size()) : lines;
        return lines.size() + " lines" + (tail.size() < lines.size() ? ", the last 8: " : ": ")
                + tail.stream().map(l -> "\"" + Transcript.escape(l.length() > 80 ? l.substring(0, 80) + "..." : l)
                + "\"").toList();
    }
}
