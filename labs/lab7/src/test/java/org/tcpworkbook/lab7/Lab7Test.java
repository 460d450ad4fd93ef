package org.tcpworkbook.lab7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Transcript;
import org.tcpworkbook.lab7.EchoServerUnderTest.Kind;

@DisplayName("Lab 7: serving ten thousand")
@ExtendWith(Peers.class)
class Lab7Test {
    static final Duration PROMPT = EchoServerUnderTest.PROMPT;
    /** Clients held at once by the scale checks: 4,000 descriptors with the checker's ends, of the 20,000 allowed. */
    static final int MANY = 2000;
    /** All of them answered within this (a loaded 2-core machine: a correct server needs well under 1 s). */
    static final Duration MANY_BOUND = Duration.ofSeconds(10);
    /** CPU time the server's threads may use over an idle second: a busy loop uses ~1,000 ms. */
    static final Duration IDLE_CPU = Duration.ofMillis(100);
    static final String WRITES = Notes.see("lab7", "task-writes");
    static final String STOP = Notes.see("lab7", "task-stop");
    /** Task 1's sentences: lines however the bytes come; one conversation's trouble is its own; its end. */
    static final String VIRTUAL_LINES = Notes.see("lab7", "task-virtual-lines");
    static final String VIRTUAL_APART = Notes.see("lab7", "task-virtual-apart");
    static final String VIRTUAL_END = Notes.see("lab7", "task-virtual-end");

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** What the server under test did wrong, said in its own terms: its Selector's or its virtual threads'. */
    static String cause(EchoServerUnderTest s, String selector, String virtual) {
        return s.kind == Kind.SELECTOR ? selector : virtual;
    }

    /** Sends each line and expects it back (the echo strips one \r before \n, and keeps a lone \r). */
    static void echoes(LineEchoServer s) throws Exception {
        try (LineClient a = s.connect("client A")) {
            String[][] cases = {
                    {"hello\n", "hello"},
                    {"你好，世界\n", "你好，世界"},
                    {"dropped carriage return\r\n", "dropped carriage return"},
                    {"a lone \r stays\n", "a lone \r stays"},
                    {"\n", ""},
            };
            for (String[] c : cases) {
                a.send(c[0]);
                s.failIfEnded();
                String got = a.readLine(PROMPT, "The echo of \"" + Transcript.escape(c[0]) + "\" " + s.notes());
                assertThat(got).as("the echo of \"%s\": the line's bytes, without the line end, then \\n %s",
                        Transcript.escape(c[0]), s.notes()).isEqualTo(c[1]);
            }
        }
    }

    /** A line of MAX bytes is echoed; one byte more gets LINE_TOO_LONG and the end, while another client goes on. */
    static void lineLimit(LineEchoServer s) throws Exception {
        int max = ChatProtocol.MAX_LINE_BYTES;
        try (LineClient a = s.connect("client A"); LineClient b = s.connect("client B")) {
            String longest = repeat('x', max);
            a.send(longest + "\r\n");
            assertThat(a.readLine(PROMPT, "The echo of a line of exactly " + max + " bytes + \\r\\n " + s.notes()))
                    .as("the echo of a line of exactly %d bytes (the limit) + \\r\\n %s", max, s.notes())
                    .isEqualTo(longest);
            a.send(repeat('y', max + 1));                   // no \n: the server must not wait for one
            String error = a.readLine(PROMPT, "A line of " + (max + 1) + " bytes (one over the limit, no \\n yet) must get"
                    + " ChatProtocol.LINE_TOO_LONG at once " + s.notes());
            assertThat(error).as("the answer to a line of %d bytes %s", max + 1, s.notes())
                    .isEqualTo(ChatProtocol.LINE_TOO_LONG);
            a.expectEnd(PROMPT, "After LINE_TOO_LONG the server closes that connection " + s.notes());
            b.send("still here\n");
            assertThat(b.readLine(PROMPT, "Client B, after client A's line too long " + s.notes()))
                    .isEqualTo("still here");
        }
    }

    /**
     * {@link #MANY} clients connected at once, each sends a line and must get it back, all within
     * {@link #MANY_BOUND}; returns the platform threads the student's code had started meanwhile.
     */
    static int many(EchoServerUnderTest s) throws Exception {
        List<LineClient> clients = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < MANY; i++) {
                clients.add(s.connect("client " + (i + 1)));
            }
            for (int i = 0; i < MANY; i++) {
                clients.get(i).send("client " + (i + 1) + " 你好\n");
            }
            s.failIfEnded();
            long deadline = start + MANY_BOUND.toNanos();
            int answered = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < MANY; i++) {
                Duration left = Duration.ofNanos(Math.max(50_000_000L, deadline - System.nanoTime()));
                String got;
                try {
                    got = clients.get(i).readLine(left, "");
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError("With " + MANY + " clients connected at once, each having sent one line,"
                            + " only " + answered + " got their echo within " + MANY_BOUND.toSeconds() + " s; client "
                            + (i + 1) + " did not: " + e.getMessage() + " A server that gives each client a platform"
                            + " thread from a bounded pool serves only as many as it has threads; the others wait"
                            + " for ever. " + s.kind.notes);
                }
                if (!got.equals("client " + (i + 1) + " 你好")) {
                    wrong.add("client " + (i + 1) + " got \"" + Transcript.escape(got) + "\"");
                }
                answered++;
            }
            assertThat(wrong).as("clients whose echo was not their own line %s", s.kind.notes).isEmpty();
            s.awaitConnections(MANY, PROMPT, "With " + MANY + " clients connected");
            return s.started().size();
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
        }
    }

    /** CPU of the server's threads over one second without traffic, with {@code idle} clients connected. */
    static void noBusyLoopWhenIdle(EchoServerUnderTest s) throws Exception {
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                LineClient c = s.connect("client " + (i + 1));
                clients.add(c);
                c.send("hello " + i + "\n");
                c.readLine(PROMPT, "Client " + (i + 1) + "'s echo " + s.kind.notes);
            }
            long before = s.cpuNanos();
            Thread.sleep(1000);                             // the measurement window: nobody sends anything
            long used = s.cpuNanos() - before;
            assertThat(Duration.ofNanos(used)).as("CPU time the server's threads used over one idle second (20 clients"
                    + " connected, none sending): %d ms. A server that waits for clients uses almost none; one that"
                    + " polls (selectNow() or select(timeout) in a tight loop, OP_WRITE kept with nothing to write,"
                    + " a key never removed from selectedKeys()) burns a core. Threads now: %s %s",
                    used / 1_000_000, s.where(), s.kind == Kind.SELECTOR ? WRITES : s.kind.notes)
                    .isLessThan(IDLE_CPU);
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
        }
    }

    /** One line sent one byte at a time, three lines in one write, 400 lines in one write: each echoed whole, in order. */
    static void cutsLines(EchoServerUnderTest s) throws Exception {
        String notes = cause(s, Kind.SELECTOR.notes, VIRTUAL_LINES);
        try (LineClient a = s.connect("client A")) {
            byte[] line = "你好, one byte at a time\r\n".getBytes(StandardCharsets.UTF_8);
            for (byte b : line) {
                a.sendBytes(new byte[] {b});                // each byte its own segment (TCP_NODELAY is off: may coalesce)
            }
            String keep = cause(s, "keep it in the connection's ByteBuffer until the \\n comes",
                    "a LineReader keeps it until the \\n comes; one read() is not one line");
            assertThat(a.readLine(PROMPT, "A line sent one byte at a time must be echoed once whole: a read() gives"
                    + " whatever has arrived, " + keep + " " + notes))
                    .as("the echo of a line sent one byte at a time: read() returns what has arrived, even one byte;"
                            + " %s %s", keep, notes)
                    .isEqualTo("你好, one byte at a time");
            a.send("first\nsecond\nthird\n");
            for (String expected : List.of("first", "second", "third")) {
                assertThat(a.readLine(PROMPT, "Three lines in one write: each is answered, not only the first " + notes))
                        .as("three lines in one write, echo of %s %s", expected, notes)
                        .isEqualTo(expected);
            }
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                many.append("line ").append(i).append(' ').append(repeat('z', 40)).append('\n');
            }
            a.send(many.toString());                        // ~20 KB: more than one read, lines split across reads
            String together = cause(s, "a line split across two reads must be put back together, and the buffer"
                    + " compacted so that it never fills", "a line split across two reads must be put back together:"
                    + " read lines with a LineReader, not one read() at a time");
            for (int i = 0; i < 400; i++) {
                assertThat(a.readLine(PROMPT, "400 lines of ~50 bytes in one write (several reads, lines cut"
                        + " across them): line " + i + " " + notes))
                        .as("400 lines in one write, line %d: %s %s", i, together, notes)
                        .isEqualTo("line " + i + " " + repeat('z', 40));
            }
        }
    }

    /** A client that sends 4 MB as fast as it can (and reads its echoes) does not starve another. */
    static void busyClient(EchoServerUnderTest s) throws Exception {
        String notes = cause(s, Kind.SELECTOR.notes, VIRTUAL_APART);
        try (LineClient busy = s.connect("busy client");
             LineClient quiet = s.connect("quiet client")) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            AtomicLong echoed = new AtomicLong();
            String line = repeat('b', 1000) + "\n";
            Thread flood = new Thread(() -> {
                try {
                    for (int i = 0; i < 4000; i++) {         // 4 MB, read back as it comes
                        busy.send(line);
                    }
                } catch (IOException e) {
                    failed.set(e);
                }
            }, "lab7-checker-flood");
            Thread drain = new Thread(() -> {
                try {
                    for (int i = 0; i < 4000; i++) {
                        busy.readLine(Duration.ofSeconds(10), "the busy client's echo");
                        echoed.incrementAndGet();
                    }
                } catch (IOException | AssertionError e) {
                    failed.compareAndSet(null, new IOException(e.getMessage()));
                }
            }, "lab7-checker-drain");
            s.failIfEnded();
            boolean passed = false;
            flood.setDaemon(true);
            drain.setDaemon(true);
            flood.start();
            drain.start();
            try {
                long deadline = System.nanoTime() + PROMPT.toNanos();
                while (echoed.get() < 100 && drain.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);                        // until the busy client is being served
                }
                s.failIfEnded();
                if (echoed.get() < 100) {
                    throw new AssertionFailedError("The busy client sent lines of 1,000 bytes as fast as it could and"
                            + " got " + echoed.get() + " echoes within " + PROMPT.toSeconds() + " s " + notes);
                }
                quiet.send("me too\n");
                assertThat(quiet.readLine(PROMPT, "The quiet client sent one line while the busy client was sending"
                        + " 4 MB, and got no echo: " + cause(s, "the loop must go back to select() after each read, not"
                        + " read one client until it has nothing more", "each client has a conversation of its own;"
                        + " nothing they share (a lock, a writer, a buffer) may be held while one of them reads or writes")
                        + " " + notes)).isEqualTo("me too");
                passed = true;
            } finally {
                if (!passed) {
                    busy.close();                           // the check has failed: no need to wait for the 4 MB
                }
                flood.join(10_000);
                drain.join(10_000);
                if (flood.isAlive() || drain.isAlive()) {
                    busy.close();                           // a server that stopped answering: unblock the checker's threads
                    flood.join(2_000);
                    drain.join(2_000);
                    failed.compareAndSet(null, new IOException("after 10 s the busy client had " + echoed.get()
                            + " of its 4,000 echoes"));
                }
            }
            if (failed.get() != null) {
                throw new AssertionFailedError("The busy client's 4,000 lines of 1,000 bytes: " + failed.get().getMessage()
                        + " " + notes);
            }
        }
    }

    /**
     * 8 MB of lines from a client with an 8 KB receive window that reads nothing until another client
     * has been answered; then every echo, whole and in order. A Selector server must also not spin
     * meanwhile (a virtual thread blocked in write() is parked: nothing to measure there).
     */
    static void slowReader(EchoServerUnderTest s) throws Exception {
        int lines = 2048;
        int width = 4000;
        String notes = cause(s, WRITES, VIRTUAL_APART);
        try (LineClient slow = LineClient.connect(s.port, "slow reader", 8192, s::failIfEnded);
             LineClient other = s.connect("other client")) {
            AtomicLong sent = new AtomicLong();
            AtomicReference<IOException> failed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < lines; i++) {
                        slow.send(line(i, width));
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    failed.set(e);
                }
            }, "lab7-checker-slow-writer");
            writer.setDaemon(true);
            s.failIfEnded();
            writer.start();
            try {
                // 8 MB sent and nothing read: the server's writes to the slow reader must stop part-way
                // (its socket buffer holds ~4 MB at most here). Wait until the writer stalls or is done, then
                // ask with another client. A server only slow for a moment (a loaded machine) looks stalled
                // too: if the writer went on meanwhile, it was not, and the question is asked again.
                long stalledAt;
                int rounds = 0;
                do {
                    long last = -1;
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (sent.get() != last && System.nanoTime() < deadline && writer.isAlive()) {
                        last = sent.get();
                        Thread.sleep(200);
                    }
                    stalledAt = last;
                    s.failIfEnded();
                    other.send("are you there?\n");
                    String answer = other.readLine(PROMPT, cause(s, "Another client sent a line while the server had"
                            + " echoes waiting for a client that does not read, and got no answer: a write to that client"
                            + " must not be retried in a loop (nor block): keep the rest in the connection's buffer,"
                            + " register OP_WRITE, and go back to select() ", "Another client sent a line while the"
                            + " conversation with a client that does not read was blocked in write(), and got no answer:"
                            + " that write must hold up its own conversation only; a lock, writer or buffer shared by the"
                            + " conversations makes every client wait for the one that does not read ") + notes);
                    assertThat(answer).isEqualTo("are you there?");
                    rounds++;
                } while (writer.isAlive() && sent.get() != stalledAt && rounds < 5);
                if (s.kind == Kind.SELECTOR) {
                    long before = s.cpuNanos();
                    Thread.sleep(1000);                     // the measurement window: the slow reader reads nothing
                    long used = s.cpuNanos() - before;
                    assertThat(Duration.ofNanos(used)).as("CPU time of the server's threads over ~1 s while echoes wait"
                            + " for a client that does not read: %d ms. A loop that retries write() until it takes"
                            + " everything, or that wakes up again and again, burns a core; OP_WRITE wakes the selector"
                            + " only once the socket has room again. Threads now: %s %s",
                            used / 1_000_000, s.where(), WRITES).isLessThan(IDLE_CPU.multipliedBy(2));
                }
                String partly = cause(s, "the server's write() takes only part of them while the client does not read:"
                        + " keep the rest in the connection's buffer, register OP_WRITE, write the rest when the key is"
                        + " writable", "the conversation's write() blocks while the client does not read, and goes on"
                        + " when it reads");
                for (int i = 0; i < lines; i++) {
                    String got = slow.readLine(Duration.ofSeconds(5), "Echo " + (i + 1) + " of " + lines + " lines of "
                            + width + " bytes, read slowly (" + partly + ") " + notes);
                    String expected = line(i, width).strip();
                    if (!got.equals(expected)) {
                        throw new AssertionFailedError("Echo " + (i + 1) + " of " + lines + " to the slow reader was \""
                                + Transcript.escape(got.substring(0, Math.min(40, got.length()))) + "…\" ("
                                + got.length() + " bytes), not line " + (i + 1) + " (\"" + expected.substring(0, 12)
                                + "…\", " + width + " bytes): bytes were lost or repeated. " + cause(s, "write() may take"
                                + " only part of a buffer: what it did not take must stay, and be written first, next time",
                                "each echo is written whole, in order, to its own client's stream") + " " + notes);
                    }
                }
            } finally {
                writer.join(2_000);                         // done once the server has read every line
                if (writer.isAlive()) {
                    slow.close();                           // a server that stopped reading: unblock the writer
                    writer.join(2_000);
                }
            }
            if (failed.get() != null) {
                throw new AssertionFailedError("The slow reader could not send its lines: " + failed.get() + " " + notes);
            }
        }
    }

    static String line(int i, int width) {
        String head = String.format("%06d ", i);
        return head + repeat((char) ('a' + i % 26), width - head.length()) + "\n";
    }

    /** A client that ends its stream gets its echo, then the end; one that resets is counted gone; a third is served on. */
    static void ends(EchoServerUnderTest s) throws Exception {
        String notes = cause(s, STOP, VIRTUAL_END);
        LineClient a = s.connect("client A");
        LineClient b = s.connect("client B");
        LineClient c = s.connect("client C");
        try {
            s.awaitConnections(3, PROMPT, "Three clients connected");
            a.send("last words\n");
            a.socket.shutdownOutput();                      // end of stream after one line
            assertThat(a.readLine(PROMPT, "A client that sent a line and then ended its stream still gets"
                    + " the echo " + notes)).isEqualTo("last words");
            a.expectEnd(PROMPT, cause(s, "read() returned -1 for client A (it ended its stream): the server must close"
                    + " that channel (which also cancels its key) ", "readLine() returned null for client A (it ended its"
                    + " stream): its conversation must end and close its socket ") + notes);
            b.reset();
            s.awaitConnections(1, PROMPT, "Client A ended its stream and client B reset its connection: " + cause(s,
                    "read() returned -1 for A and threw for B; close each channel then, and count it gone ",
                    "readLine() returned null for A and threw for B; each conversation must then close its socket and"
                    + " remove it from the set, in a finally ") + notes);
            c.send("still served\n");
            assertThat(c.readLine(PROMPT, "Client C, after A and B left " + notes)).isEqualTo("still served");
        } finally {
            a.close();
            b.close();
            c.close();
        }
        s.awaitConnections(0, PROMPT, "Every client closed");
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: VirtualEchoServer, a virtual thread per client")
    class Task1 {
        @Test
        @DisplayName("echoes each line, with the protocol's line ends")
        void echoes() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                Lab7Test.echoes(s);
            }
        }

        @Test
        @DisplayName("answers a line over the limit with LINE_TOO_LONG and the end, and serves the others")
        void lineLimit() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                Lab7Test.lineLimit(s);
            }
        }

        @Test
        @DisplayName("cuts lines sent one byte at a time, and several lines in one write")
        void bytes() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                cutsLines(s);
            }
        }

        @Test
        @DisplayName("serves a client while another sends as fast as it can")
        void busyClient() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                Lab7Test.busyClient(s);
            }
        }

        @Test
        @DisplayName("delivers every echo, in order, to a client that reads slowly, and serves others meanwhile")
        void slowReader() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                Lab7Test.slowReader(s);
            }
        }

        @Test
        @DisplayName("closes a connection at its end of stream (after the echoes) and at a reset")
        void ends() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                Lab7Test.ends(s);
            }
        }

        @Test
        @DisplayName("holds 2,000 clients at once and answers each, without a platform thread per client")
        void twoThousand() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                int threads = many(s);
                assertThat(threads).as("platform threads your server started for %d clients (a thread per client"
                        + " reserves a stack for each and meets the OS's limit; virtual threads run on a few carrier"
                        + " threads of the JDK's): use Executors.newVirtualThreadPerTaskExecutor() or"
                        + " Thread.ofVirtual() %s", MANY, Kind.VIRTUAL.notes).isLessThan(50);
            }
        }

        @Test
        @DisplayName("uses no CPU while its clients are idle")
        void idle() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.VIRTUAL)) {
                noBusyLoopWhenIdle(s);
            }
        }

        @Test
        @DisplayName("close() ends serve(), every conversation and the listener")
        void close() throws Exception {
            stops(Kind.VIRTUAL);
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: SelectorEchoServer, accept, read, cut lines")
    class Task2 {
        @Test
        @DisplayName("echoes each line, with the protocol's line ends")
        void echoes() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                Lab7Test.echoes(s);
            }
        }

        @Test
        @DisplayName("cuts lines sent one byte at a time, and several lines in one write")
        void bytes() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                cutsLines(s);
            }
        }

        @Test
        @DisplayName("answers a line over the limit with LINE_TOO_LONG and the end, and serves the others")
        void lineLimit() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                Lab7Test.lineLimit(s);
            }
        }

        @Test
        @DisplayName("holds 2,000 clients at once on one thread and answers each")
        void twoThousand() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                int threads = many(s);
                assertThat(threads).as("threads your server started besides the one that runs serve(): a Selector"
                        + " serves every client on that one %s", Kind.SELECTOR.notes).isLessThanOrEqualTo(2);
            }
        }

        @Test
        @DisplayName("serves a client while another sends as fast as it can")
        void busyClient() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                Lab7Test.busyClient(s);
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: SelectorEchoServer, partial writes and OP_WRITE")
    class Task3 {
        @Test
        @DisplayName("delivers every echo, in order, to a client that reads slowly, and serves others meanwhile")
        void slowReader() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                Lab7Test.slowReader(s);
            }
        }

        @Test
        @DisplayName("uses no CPU while its clients are idle")
        void idle() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                noBusyLoopWhenIdle(s);
            }
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: SelectorEchoServer, the end of a connection and close()")
    class Task4 {
        @Test
        @DisplayName("closes a connection at its end of stream (after the echoes) and at a reset")
        void ends() throws Exception {
            try (EchoServerUnderTest s = EchoServerUnderTest.start(Kind.SELECTOR)) {
                Lab7Test.ends(s);
            }
        }

        @Test
        @DisplayName("close() ends serve(), every connection and the listener")
        void close() throws Exception {
            stops(Kind.SELECTOR);
        }
    }

    /** close(): serve() returns, each client sees its end, new connects are refused. */
    static void stops(Kind kind) throws Exception {
        String notes = kind == Kind.SELECTOR ? STOP : kind.notes;
        EchoServerUnderTest s = EchoServerUnderTest.start(kind);
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                LineClient c = s.connect("client " + (i + 1));
                clients.add(c);
                c.send("hi\n");
                c.readLine(PROMPT, "Client " + (i + 1) + "'s echo " + kind.notes);
            }
            s.stop();
            assertThat(s.serveReturned()).as("serve() returned after close() %s", notes).isTrue();
            for (LineClient c : clients) {
                c.expectEnd(PROMPT, "close() must close every client's connection " + notes);
            }
            try (Socket late = new Socket()) {
                late.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), 1000);
                throw new AssertionFailedError("A client could still connect after close(): close the listener " + notes);
            } catch (ConnectException | SocketTimeoutException expected) {
                // refused: the listener is closed
            }
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
            s.close();
        }
    }
}
