package org.tcpworkbook.lab2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Loopback;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Outcome;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Policy;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Transcript;

@DisplayName("Lab 2: the chat client")
@ExtendWith(Peers.class)
@ExtendWith(LocalHostHint.class)
class Lab2Test {
    /** How long any one call into your code may take. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    /** How long the reference server waits to see what your client sent. */
    static final Duration WAIT = Duration.ofSeconds(2);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    static final String ONE_READ_IS_NOT_ONE_MESSAGE = "One read() is not one message: TCP delivers a stream of"
            + " bytes, split and joined as the network pleases.";
    static final String NAME_THE_CHARSET = "Decode with UTF-8 (ChatProtocol.CHARSET), never the platform's default.";

    /**
     * A call that was abandoned still blocked after {@link #LIMIT} fails with {@code why} added to the
     * runner's message; any other failure (code not written yet, say) is left as it is.
     */
    static AssertionFailedError stillBlocked(AssertionFailedError e, long start, String why) {
        if (System.nanoTime() - start < LIMIT.toNanos()) {
            return e;
        }
        return new AssertionFailedError(e.getMessage() + " " + why, e);
    }

    /** A timeout as the student reads it in a call: "0 ms", "-1 ms", "-1 ns". */
    static String shown(Duration timeout) {
        return timeout.toNanos() % 1_000_000 == 0 ? timeout.toMillis() + " ms" : timeout.toNanos() + " ns";
    }

    /** A line as a message shows it: control characters escaped ("\\r", not a raw CR), null as null. */
    static String shown(String line) {
        return line == null ? null : Transcript.escape(line);
    }

    /**
     * Why the server received {@code received} instead of {@code expected} in a chat: println's
     * "\\r", a charset or a strip() where a line differs; {@code stoppedEarly} where the chat stopped
     * before sending them all.
     */
    static String whyReceived(List<String> expected, List<String> received, String stoppedEarly) {
        if (received.stream().anyMatch(line -> line.endsWith("\r"))) {
            return Diagnosis.PRINTLN;
        }
        for (int i = 0; i < Math.min(expected.size(), received.size()); i++) {
            if (!expected.get(i).equals(received.get(i))) {
                String why = Diagnosis.ofSent(expected.get(i), received.get(i));
                return why.isEmpty() ? "The chat sent \"" + shown(received.get(i)) + "\" where the user typed \""
                        + shown(expected.get(i)) + "\"." : why;
            }
        }
        return received.size() < expected.size() ? stoppedEarly : "The chat sent more than the user typed.";
    }

    /** The same lines, each {@link #shown}. */
    static List<String> shown(List<String> lines) {
        return lines.stream().map(Lab2Test::shown).toList();
    }

    /** 0.5 ms, 1.5 s and 2 s: a timeout under 1 ms, one with a seconds and a milliseconds part, whole seconds. */
    static final List<Duration> ODD_TIMEOUTS = List.of(Duration.ofNanos(500_000), Duration.ofMillis(1500),
            Duration.ofSeconds(2));

    static String describe(Duration timeout) {
        return timeout.toMillis() == 0 ? (timeout.toNanos() / 1000) / 1000.0 + " ms"
                : timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() / 1000.0 + " s";
    }

    /** What a wrong conversion of {@code timeout} to int milliseconds gives, when {@code millis} is one of them. */
    static String conversionHint(Duration timeout, long millis) {
        if (timeout.toMillisPart() == millis && timeout.toMillis() != millis) {
            return " Duration.toMillisPart() is only the milliseconds within the second (" + millis + " of "
                    + timeout.toMillis() + "): the whole timeout in milliseconds is toMillis().";
        }
        if (timeout.toSeconds() * 1000 == millis && timeout.toMillis() != millis) {
            return " That is the timeout's whole seconds only (toSeconds(), getSeconds()): the whole timeout in"
                    + " milliseconds is toMillis().";
        }
        return "";
    }

    /**
     * Runs {@code wait} (a connect or a receive that must time out) once per timeout of
     * {@link #ODD_TIMEOUTS}, all at the same time, and notes in {@code problems} each that did not
     * throw SocketTimeoutException after about its timeout.
     */
    static void expectTimeouts(Problems problems, String what, java.util.function.Function<Duration,
            java.util.concurrent.Callable<?>> wait) throws Exception {
        List<Student.Running<Object>> runs = new ArrayList<>();
        long[] ended = new long[ODD_TIMEOUTS.size()];
        long start = System.nanoTime();
        for (int i = 0; i < ODD_TIMEOUTS.size(); i++) {
            Duration timeout = ODD_TIMEOUTS.get(i);
            java.util.concurrent.Callable<?> code = wait.apply(timeout);
            int slot = i;
            runs.add(Student.start(what + " with a " + describe(timeout) + " timeout", () -> {
                try {
                    return code.call();
                } finally {
                    ended[slot] = System.nanoTime();
                }
            }));
        }
        long deadline = start + ODD_TIMEOUTS.get(ODD_TIMEOUTS.size() - 1).toNanos() + LIMIT.toNanos();
        for (int i = 0; i < runs.size(); i++) {
            Duration timeout = ODD_TIMEOUTS.get(i);
            String with = what + " with a timeout of " + describe(timeout);
            Object result;
            try {
                result = runs.get(i).await(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            } catch (AssertionFailedError stuck) {
                if (runs.get(i).isDone()) {
                    throw stuck; // not a wait: code not written yet, say
                }
                problems.add(with + " never gave up: " + (timeout.toMillis() == 0
                        ? "a positive timeout under 1 ms became 0 ms (toMillis() rounds 0.5 ms down to 0), and Java"
                        + " takes 0 for no timeout at all. Round a sub-millisecond timeout up to 1 ms."
                        : timeout.toMillisPart() == 0 ? "did it become 0 ms, which Java takes for no timeout at all?"
                        + conversionHint(timeout, 0) : "was it passed on at all?") + " (" + stuck.getMessage() + ")");
                continue;
            } catch (java.net.SocketTimeoutException expected) {
                long elapsed = (ended[i] - start) / 1_000_000;
                long low = Math.max(0, timeout.toMillis() - 50);
                long high = timeout.toMillis() + 1000;
                if (elapsed < low || elapsed > high) {
                    long[] guesses = {timeout.toMillisPart(), timeout.toSeconds() * 1000};
                    String hint = "";
                    for (long guess : guesses) {
                        if (hint.isEmpty() && Math.abs(elapsed - guess) < 200) {
                            hint = conversionHint(timeout, guess);
                        }
                    }
                    problems.add(with + " gave up after " + elapsed + " ms, expected " + low + ".." + high + " ms."
                            + hint);
                }
                continue;
            }
            if (result instanceof ChatClient client) {
                StudentClient.closeQuietly(client);
            }
            problems.add(with + " returned " + (result == null ? "null" : "\"" + shown(String.valueOf(result)) + "\"")
                    + " instead of throwing SocketTimeoutException");
        }
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: ChatClient.connect")
    class Task1 {
        static final String NOTES = Notes.see("lab2", "task-connect");

        @Test
        @DisplayName("connects to the server")
        void connects(ReferenceServer server) throws Exception {
            ChatClient client = StudentClient.connect(server);
            try {
                assertThat(client).as("ChatClient.connect returned null %s", NOTES).isNotNull();
                server.takeConnection(WAIT);
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        @Test
        @DisplayName("reports a refused connection as ConnectException")
        void reportsRefused() throws Exception {
            InetSocketAddress closed = Loopback.closedPort();
            try {
                ChatClient client = Student.call("connecting to 127.0.0.1:" + closed.getPort()
                        + " where nothing listens", LIMIT, () -> ChatClient.connect(closed, CONNECT_TIMEOUT, READ_TIMEOUT));
                StudentClient.closeQuietly(client);
                fail("ChatClient.connect to 127.0.0.1:%d, where nothing listens, returned a client: let the"
                        + " ConnectException through %s", closed.getPort(), NOTES);
            } catch (ConnectException expected) {
                // as it should be: the caller decides what to tell the user
            }
        }

        @Test
        @DisplayName("gives up after its connect timeout")
        void honoursTheConnectTimeout() throws Exception {
            Duration timeout = Duration.ofMillis(300);
            try (Loopback.FullBacklog stuck = Loopback.fullBacklog()) {
                long start = System.nanoTime();
                try {
                    ChatClient client;
                    try {
                        client = Student.call("connecting to a listener whose backlog is full, with a 300 ms connect"
                                + " timeout", LIMIT, () -> ChatClient.connect(stuck.address(), timeout, READ_TIMEOUT));
                    } catch (AssertionFailedError e) {
                        throw stillBlocked(e, start, "The 300 ms connect timeout never fired: Socket.connect(address)"
                                + " waits as long as the OS does (minutes); connect(address, millis) gives up in time,"
                                + " and 0 millis means no timeout at all. " + NOTES);
                    }
                    StudentClient.closeQuietly(client);
                    fail("ChatClient.connect to a listener whose backlog is full returned a client %s", NOTES);
                } catch (SocketTimeoutException expected) {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    assertThat(elapsed).as("the connect gave up after %d ms with a connect timeout of 300 ms (and a"
                            + " read timeout of %d ms): pass the connect timeout to Socket.connect%s %s", elapsed,
                            READ_TIMEOUT.toMillis(), Math.abs(elapsed - READ_TIMEOUT.toMillis()) < 250
                                    ? ", and the read timeout to setSoTimeout: are the two swapped?" : "", NOTES)
                            .isBetween(250L, 1000L);
                }
            }
        }

        @Test
        @DisplayName("rejects timeouts that are not positive (0 would wait forever)")
        void rejectsTimeoutsThatAreNotPositive(ReferenceServer server) throws Exception {
            Problems problems = new Problems();
            problems.expectEachNotPositiveTimeoutRefused(t -> "ChatClient.connect(server, " + shown(t) + ", 2 s)", LIMIT,
                    t -> ChatClient.connect(server.address(), t, READ_TIMEOUT));
            problems.expectEachNotPositiveTimeoutRefused(t -> "ChatClient.connect(server, 2 s, " + shown(t) + ")", LIMIT,
                    t -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, t));
            problems.assertNone(NOTES);
        }

        @Test
        @DisplayName("rejects a timeout too long for an int of milliseconds (2^32 + 300 ms is not 300 ms)")
        void rejectsTimeoutsTooLong(ReferenceServer server) throws Exception {
            Problems problems = new Problems();
            Duration wraps = Duration.ofMillis((1L << 32) + 300); // (int) toMillis() of it is 300
            Duration forever = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999); // toMillis() overflows a long
            String why = ", which (int) toMillis() wraps round to 300 ms";
            tooLong(problems, "ChatClient.connect(server, 2^32 + 300 ms, 2 s)" + why,
                    () -> ChatClient.connect(server.address(), wraps, READ_TIMEOUT));
            tooLong(problems, "ChatClient.connect(server, 2 s, 2^32 + 300 ms)" + why,
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, wraps));
            tooLong(problems, "ChatClient.connect(server, 2 s, Long.MAX_VALUE s)",
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, forever));
            problems.assertNone("(Socket.connect and setSoTimeout take an int of milliseconds: refuse a timeout"
                    + " longer than Integer.MAX_VALUE ms, about 24.8 days, with an IllegalArgumentException) " + NOTES);
        }

        private void tooLong(Problems problems, String call, java.util.concurrent.Callable<ChatClient> code)
                throws Exception {
            try {
                problems.expectIllegalArgument(call, LIMIT, () -> {
                    ChatClient client = code.call();
                    StudentClient.closeQuietly(client);
                    return client;
                });
            } catch (ArithmeticException e) {
                problems.add(call + " threw " + e + ": Duration.toMillis() overflows for a duration that long."
                        + " Compare the Duration with Duration.ofMillis(Integer.MAX_VALUE) before you convert it");
            }
        }

        @Test
        @DisplayName("gives up after a connect timeout of 0.5 ms, 1.5 s or 2 s, not 0 (forever) nor its millisecond part")
        void keepsEveryConnectTimeout() throws Exception {
            try (Loopback.FullBacklog stuck = Loopback.fullBacklog()) {
                Problems problems = new Problems();
                expectTimeouts(problems, "connecting to a listener whose backlog is full",
                        timeout -> () -> ChatClient.connect(stuck.address(), timeout, READ_TIMEOUT));
                problems.assertNone("(convert the whole Duration to milliseconds, rounding a positive one under"
                        + " 1 ms up to 1: 0 means no timeout at all) " + NOTES);
            }
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: ChatClient.send")
    class Task2 {
        static final String NOTES = Notes.see("lab2", "task-send");

        @Test
        @DisplayName("sends each message as one UTF-8 line, flushed at once, Chinese included")
        void sendsLines(ReferenceServer server) throws Exception {
            ChatClient client = StudentClient.connect(server);
            try {
                for (String message : new String[] {"hello", "你好，服务器", "关闭 is the quit word", "  spaces around  ",
                        ""}) {
                    long arrivals = arrivals(server);
                    Student.run("sending \"" + message + "\"", LIMIT, () -> client.send(message));
                    String received;
                    try {
                        received = server.takeReceived(WAIT);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(String.format("send(\"%s\") returned, but %s %s%s", message,
                                arrivals(server) == arrivals ? "not one byte of it reached the server: it is still in"
                                        + " your writer's buffer (BufferedWriter, PrintWriter, OutputStreamWriter keep what"
                                        + " you write until flush()). Flush after each message." : "the line never ended.",
                                e.getMessage(), " " + NOTES));
                    }
                    assertThat(shown(received))
                            .as("the line the reference server received for send(\"%s\") (control characters shown"
                                + " escaped): the message as it is, in UTF-8 bytes, then \\n, then flush. %s %s",
                                shown(message), Diagnosis.ofSent(message, received), NOTES)
                            .isEqualTo(shown(message));
                }
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        /** How many times the reference server has received bytes so far (its transcript says). */
        private long arrivals(ReferenceServer server) {
            return server.transcript().lines().stream().filter(l -> l.contains(" server  received ")).count();
        }

        @Test
        @DisplayName("refuses a message with a line break, which would become two messages")
        void refusesLineBreaks(ReferenceServer server) throws Exception {
            ChatClient client = StudentClient.connect(server);
            try {
                Problems problems = new Problems();
                problems.expectIllegalArgument("send(\"two\\nlines\")", LIMIT, () -> {
                    client.send("two\nlines");
                    return "(nothing)";
                });
                problems.expectIllegalArgument("send(\"two\\rlines\")", LIMIT, () -> {
                    client.send("two\rlines");
                    return "(nothing)";
                });
                problems.assertNone(NOTES);
                Student.run("sending \"one line\" after the refused messages", LIMIT, () -> client.send("one line"));
                String received = server.takeReceived(WAIT);
                assertThat(shown(received)).as("the first line the server received, after two refused messages and"
                        + " send(\"one line\"): a refused message sends nothing, not even a part of it (check the"
                        + " message before you write anything) %s", NOTES).isEqualTo("one line");
            } finally {
                StudentClient.closeQuietly(client);
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: ChatClient.receive")
    class Task3 {
        static final String NOTES = Notes.see("lab2", "task-receive");

        /**
         * How the server wrote the reply: the fragmented ones wait a little first, so that your
         * receive() is already waiting in read() when the first piece arrives, and sees the pieces.
         */
        static final Duration HEAD_START = Duration.ofMillis(100);

        /**
         * Sends "hi", then receives each reply in turn. A wrong line fails the check with the hint
         * that fits what arrived: a piece of the line or several lines (one read taken as one
         * message), the bytes decoded in the platform's charset, or a character decoded in halves.
         */
        private void expectReplies(ReferenceServer server, Policy policy, String situation, String... replies)
                throws Exception {
            server.use(policy).replyWith(replies);
            ChatClient client = StudentClient.connect(server);
            try {
                Student.run("sending \"hi\"", LIMIT, () -> client.send("hi"));
                for (int i = 0; i < replies.length; i++) {
                    StudentClient.Received got;
                    try {
                        got = StudentClient.receiveWatched(client, "receiving with the server's policy " + policy);
                    } catch (SocketTimeoutException e) {
                        if (i == 0) {
                            throw e;
                        }
                        throw new AssertionFailedError(String.format("receive() number %d threw %s, though the server"
                                + " had sent all %d lines (%s) and your receive() had returned the first %d: the rest"
                                + " had arrived already. Were they read into a reader that your code then dropped? A"
                                + " new BufferedReader (or Scanner) in each receive() loses whatever the previous one"
                                + " had read ahead into its buffer: create the reader once, in the constructor %s",
                                i + 1, e, replies.length, policy, i, NOTES), e);
                    }
                    String received = got.line();
                    String hint = Diagnosis.ofReceived(List.of(replies), i, received,
                            got.waitedIn("java.io.DataInputStream.readLine") || StudentClient.callsDataInputReadLine());
                    assertThat(shown(received)).as("what receive() returned (control characters shown escaped), the"
                            + " server writing with policy %s. %s %s %s", policy, situation, hint.isEmpty()
                                    ? "Return exactly one line, as it came, without its \\n, decoded from UTF-8."
                                    : hint, NOTES).isEqualTo(shown(replies[i]));
                }
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        @Test
        @DisplayName("returns the server's line")
        void receivesALine(ReferenceServer server) throws Exception {
            expectReplies(server, Policy.NORMAL, "The line arrived in one write.", "hello, client");
        }

        @Test
        @DisplayName("reassembles a line that arrives one byte at a time, Chinese included")
        void reassemblesFragments(ReferenceServer server) throws Exception {
            expectReplies(server, Policy.fragment(1).and(Policy.delay(HEAD_START)), "The line arrived in pieces,"
                    + " one byte at a time.", "你好世界, one byte at a time");
        }

        @Test
        @DisplayName("decodes a character whose bytes arrive in different reads")
        void decodesSplitCharacters(ReferenceServer server) throws Exception {
            expectReplies(server, Policy.fragment(2).and(Policy.delay(HEAD_START)), "The line arrived two bytes at a"
                    + " time, so each character's three bytes arrived in different reads.", "关闭了吗？没有");
        }

        @Test
        @DisplayName("returns each line as it came: spaces around it, an empty line")
        void returnsLinesAsTheyCame(ReferenceServer server) throws Exception {
            expectReplies(server, Policy.delay(HEAD_START), "The server sent three lines, one write each.",
                    "  two spaces before, one after ", "", "第三行");
        }

        @Test
        @DisplayName("keeps the rest when two lines arrive in one read")
        void keepsTheRemainder(ReferenceServer server) throws Exception {
            expectReplies(server, Policy.COALESCE, "Three lines arrived in one write.", "first line",
                    "second line, same write", "第三行");
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: the end of the stream")
    class Task4 {
        static final String NOTES = Notes.see("lab2", "task-end-of-stream");

        @Test
        @DisplayName("returns null, again and again, once the server has closed")
        void returnsNullAtTheEnd(ReferenceServer server) throws Exception {
            server.use(Policy.closeAfter(1)).replyWith("bye");
            ChatClient client = StudentClient.connect(server);
            try {
                Student.run("sending \"hi\"", LIMIT, () -> client.send("hi"));
                assertThat(StudentClient.receive(client, "receiving the last line")).as("the last line %s", NOTES).isEqualTo("bye");
                for (int i = 1; i <= 3; i++) {
                    String after;
                    try {
                        after = StudentClient.receive(client, "receiving after the server closed (call " + i + ")");
                    } catch (AssertionFailedError stuck) {
                        throw new AssertionFailedError(stuck.getMessage() + " The server had closed the connection:"
                                + " every read() returns -1 now, at once and for good; there is nothing more to wait"
                                + " for, so return null " + NOTES, stuck);
                    } catch (Exception e) {
                        throw new AssertionFailedError(String.format("receive() after the server closed the connection"
                                + " (call %d) threw %s. The end of the stream is no error: the read returns -1"
                                + " (readLine returns null), and receive() returns null, every time %s", i, e, NOTES), e);
                    }
                    assertThat(after).as("receive() after the server closed the connection (call %d): the read"
                            + " returns -1, so return null %s", i, NOTES).isNull();
                }
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        @Test
        @DisplayName("throws an IOException when the server resets the connection")
        void throwsOnReset(ReferenceServer server) throws Exception {
            server.use(Policy.resetAfter(1)).replyWith("boom");
            ChatClient client = StudentClient.connect(server);
            try {
                Student.run("sending \"hi\"", LIMIT, () -> client.send("hi"));
                assertThat(StudentClient.receive(client, "receiving the line sent before the reset")).as("the line sent before"
                        + " the reset %s", NOTES).isEqualTo("boom");
                String after;
                try {
                    after = StudentClient.receive(client, "receiving after the server reset the connection");
                } catch (IOException expected) {
                    return; // "Connection reset": an error, not an ordinary end
                }
                fail("receive() after the server reset the connection returned %s: a reset is an error, let the"
                        + " IOException through %s", after == null ? "null" : "\"" + after + "\"", NOTES);
            } finally {
                StudentClient.closeQuietly(client);
            }
        }
    }

    @Nested
    @Tag("task-5")
    @DisplayName("Task 5: the read timeout")
    class Task5 {
        static final String NOTES = Notes.see("lab2", "task-read-timeout");

        @Test
        @DisplayName("gives up on a server that never answers, after the read timeout")
        void timesOut(ReferenceServer server) throws Exception {
            server.use(Policy.STALL);
            Duration timeout = Duration.ofMillis(300);
            ChatClient client = Student.call("connecting with a 300 ms read timeout", LIMIT,
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, timeout));
            try {
                long start = System.nanoTime();
                try {
                    String line;
                    try {
                        line = StudentClient.receive(client, "receiving from a server that never answers, with a 300 ms"
                                + " read timeout");
                    } catch (AssertionFailedError e) {
                        throw stillBlocked(e, start, "The 300 ms read timeout never fired: set it on the socket with"
                                + " setSoTimeout, which takes milliseconds (and takes 0 for no timeout at all). " + NOTES);
                    }
                    fail("receive() from a server that never answers returned %s; with a read timeout it throws"
                            + " SocketTimeoutException: let it through, the caller decides%s %s",
                            line == null ? "null" : "\"" + shown(line) + "\"", line == null ? " (null means the server"
                                    + " closed the connection, which it did not. A Scanner returns it here: it swallows"
                                    + " the IOException of the timeout, and so does a catch that returns null)" : "",
                            NOTES);
                } catch (SocketTimeoutException expected) {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    assertThat(elapsed).as("receive() gave up after %d ms with a read timeout of 300 ms %s",
                            elapsed, NOTES).isBetween(250L, 1000L);
                }
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        @Test
        @DisplayName("gives up on a line that never ends, after the read timeout")
        void timesOutOnAnUnfinishedLine(ReferenceServer server) throws Exception {
            server.replyWithBytes("no line end".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ChatClient client = Student.call("connecting with a 300 ms read timeout", LIMIT,
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, Duration.ofMillis(300)));
            try {
                Student.run("sending \"hi\"", LIMIT, () -> client.send("hi"));
                String line;
                try {
                    line = StudentClient.receive(client, "receiving a line whose \\n never comes, with a 300 ms"
                            + " read timeout");
                } catch (SocketTimeoutException expected) {
                    return;
                }
                fail("receive() returned %s when the server had sent \"no line end\" without its \\n and then"
                        + " nothing for longer than the read timeout: that is not a whole line (Scanner and hand-made"
                        + " readers that return what they have on a timeout do this). Let the SocketTimeoutException"
                        + " through %s", line == null ? "null" : "\"" + shown(line) + "\"", NOTES);
            } finally {
                StudentClient.closeQuietly(client);
            }
        }

        @Test
        @DisplayName("gives up after a read timeout of 0.5 ms, 1.5 s or 2 s, not 0 (forever) nor its millisecond part")
        void keepsEveryReadTimeout(ReferenceServer server) throws Exception {
            server.use(Policy.STALL);
            List<ChatClient> clients = new ArrayList<>();
            try {
                for (Duration timeout : ODD_TIMEOUTS) {
                    clients.add(Student.call("connecting with a read timeout of " + describe(timeout), LIMIT,
                            () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, timeout)));
                }
                Problems problems = new Problems();
                expectTimeouts(problems, "receiving from a server that never answers",
                        timeout -> clients.get(ODD_TIMEOUTS.indexOf(timeout))::receive);
                problems.assertNone("(convert the whole Duration to milliseconds for setSoTimeout, rounding a"
                        + " positive one under 1 ms up to 1: 0 means no timeout at all) " + NOTES);
            } finally {
                clients.forEach(StudentClient::closeQuietly);
            }
        }
    }

    @Nested
    @Tag("task-6")
    @DisplayName("Task 6: ChatClient.close")
    class Task6 {
        static final String NOTES = Notes.see("lab2", "task-close");

        @Test
        @DisplayName("closes the connection: the server reads the end of the stream")
        void closes(ReferenceServer server) throws Exception {
            ChatClient client = StudentClient.connect(server);
            server.takeConnection(WAIT);
            Student.run("closing the client", LIMIT, client::close);
            assertThat(server.awaitClientEnd(WAIT)).as("how the connection ended %s", NOTES).isEqualTo(Outcome.EOF);
            try {
                Student.run("closing the client a second time", LIMIT, client::close);
            } catch (IOException | RuntimeException e) {
                fail("close() on a client already closed threw %s: ChatClient is Closeable, whose close() has no"
                        + " effect when called again (Socket.close() may be called again without harm) %s", e, NOTES);
            }
        }
    }

    @Nested
    @Tag("task-7")
    @DisplayName("Task 7: Chat.run, the turn-based chat")
    class Task7 {
        static final String NOTES = Notes.see("lab2", "task-chat");

        private String chat(ReferenceServer server, String typed) throws Exception {
            StringWriter screen = new StringWriter();
            Student.run("chatting, the user typing " + Transcript.escape(typed), LIMIT,
                    () -> Chat.run(server.address(), new BufferedReader(new StringReader(typed)),
                            new PrintWriter(screen, true)));
            return screen.toString();
        }

        @Test
        @DisplayName("sends each typed line, prints each answer, and closes when the input ends")
        void chatsUntilTheInputEnds(ReferenceServer server) throws Exception {
            server.replyWith("hi there").replyWith("我很好");
            String screen = chat(server, "hello\n你好吗\n");
            String first = server.takeReceived(WAIT);
            assertThat(shown(first)).as("the first line typed %s %s", Diagnosis.ofSent("hello", first), NOTES)
                    .isEqualTo("hello");
            String second = server.takeReceived(WAIT);
            assertThat(shown(second)).as("the second line typed %s %s", Diagnosis.ofSent("你好吗", second), NOTES)
                    .isEqualTo("你好吗");
            assertThat(screen).as("the screen shows each answer, in order %s", NOTES)
                    .containsSubsequence("hi there", "我很好");
            assertThat(shown(receivedUntilTheEnd(server, "the chat closes its connection when the input ends")))
                    .as("the lines the server received after the two typed ones: none, the input had ended %s", NOTES)
                    .isEmpty();
        }

        /**
         * Every line the server received, in order, once the chat has closed its connection: the
         * server queues each line before it reads the end of the stream, so all are in by then.
         */
        private List<String> receivedUntilTheEnd(ReferenceServer server, String why) throws Exception {
            assertThat(server.awaitClientEnd(WAIT)).as("%s %s", why, NOTES).isEqualTo(Outcome.EOF);
            return receivedSoFar(server);
        }

        /** The lines the server has received and not yet handed to the check, without waiting. */
        private List<String> receivedSoFar(ReferenceServer server) throws InterruptedException {
            List<String> lines = new ArrayList<>();
            while (true) {
                try {
                    lines.add(server.takeReceived(Duration.ZERO));
                } catch (AssertionFailedError none) {
                    return lines;
                }
            }
        }

        @Test
        @DisplayName("sends the quit word 关闭 and leaves at once, without waiting for an answer")
        void leavesOnTheQuitWord(ReferenceServer server) throws Exception {
            server.replyWith("hi");
            try {
                chat(server, "hello\n关闭\nnever sent\n");
            } catch (AssertionFailedError e) {
                if (receivedSoFar(server).contains("关闭")) { // it sent the quit word, then went on waiting
                    throw new AssertionFailedError(e.getMessage() + " It had sent the quit word: leave at once"
                            + " after it, the server owes no answer to it. " + NOTES, e);
                }
                throw e;
            }
            List<String> received = receivedUntilTheEnd(server, "after the quit word, the chat closes its connection");
            assertThat(shown(received))
                    .as("the lines the server received: the quit word goes to the server too, so that it knows,"
                        + " and nothing after it. %s %s", whyReceived(List.of("hello", "关闭"), received,
                                "Send the quit word before you leave."), NOTES)
                    .containsExactly("hello", "关闭");
        }

        @Test
        @DisplayName("stops when the server answers with a quit word")
        void stopsWhenTheServerQuits(ReferenceServer server) throws Exception {
            server.replyWith("/quit").replyWith("(you should have left: I said /quit)");
            String screen = chat(server, "hello\nstill here?\n");
            assertThat(screen).as("the screen shows the server's quit word %s", NOTES).contains("/quit");
            List<String> received = receivedUntilTheEnd(server, "after the server's quit word, the chat closes its"
                    + " connection");
            assertThat(shown(received))
                    .as("the lines the server received: after the server's quit word /quit (ChatProtocol.isQuit"
                        + " knows both words), the chat closes its connection and sends nothing more. %s %s",
                        received.size() > 1 ? "" : whyReceived(List.of("hello"), received, ""), NOTES)
                    .containsExactly("hello");
        }

        @Test
        @DisplayName("stops, without an exception or a busy loop, when the server closes the connection")
        void stopsWhenTheServerCloses(ReferenceServer server) throws Exception {
            server.use(Policy.closeAfter(1)).replyWith("closing now");
            String stop = "Once the server has closed, receive() returns null: tell the user the server left,"
                    + " and stop the chat, reading and sending nothing more";
            String typed = "hello\nanyone?\nstill?\n";
            BufferedReader keyboard = new BufferedReader(new StringReader(typed));
            StringWriter screen = new StringWriter();
            try {
                Student.run("chatting, the user typing " + Transcript.escape(typed) + ", the server closing after its"
                        + " first answer", LIMIT, () -> Chat.run(server.address(), keyboard, new PrintWriter(screen, true)));
            } catch (IOException e) {
                fail("Chat.run threw %s after the server had closed the connection. %s %s", e, stop, NOTES);
            }
            assertThat(screen.toString()).as("the screen shows the last answer %s", NOTES).contains("closing now");
            assertThat(keyboard.readLine()).as("the line typed after \"anyone?\", which the chat should never read:"
                    + " it went on after its receive() had returned null. %s %s", stop, NOTES).isEqualTo("still?");
        }

        @Test
        @DisplayName("waits for an answer that takes more than a second (a person types it)")
        void waitsForASlowAnswer(ReferenceServer server) throws Exception {
            server.use(Policy.delay(Duration.ofMillis(1200))).replyWith("sorry, I type slowly");
            String screen;
            try {
                screen = chat(server, "hello\n");
            } catch (SocketTimeoutException e) {
                throw new AssertionFailedError("Chat.run gave up (" + e + ") on an answer that came 1.2 s after the"
                        + " question: a person types the answers. Connect with Chat.CONNECT_TIMEOUT and"
                        + " Chat.READ_TIMEOUT (2 minutes) " + NOTES, e);
            }
            assertThat(screen).as("the screen shows the answer that came after 1.2 s %s", NOTES)
                    .contains("sorry, I type slowly");
        }

        @Test
        @DisplayName("takes a quit word with spaces around it for a quit word, typed or answered")
        void quitWordsWithSpaces(ReferenceServer server) throws Exception {
            server.replyWith("hi");
            try {
                chat(server, "hello\n /quit \nnever sent\n");
            } catch (AssertionFailedError e) {
                if (receivedSoFar(server).contains(" /quit ")) {
                    throw new AssertionFailedError(e.getMessage() + " It had sent \" /quit \", which is a quit word:"
                            + " the protocol allows spaces around it (ChatProtocol.isQuit strips them before it"
                            + " compares). Leave at once after it. " + NOTES, e);
                }
                throw e;
            }
            List<String> first = receivedUntilTheEnd(server, "after the typed quit word \" /quit \", the chat closes"
                    + " its connection");
            assertThat(shown(first)).as("the lines the server received: \" /quit \" is a quit word (spaces around"
                    + " it are allowed: ChatProtocol.isQuit strips them), so nothing goes after it. %s %s",
                    whyReceived(List.of("hello", " /quit "), first, "Send the quit word before you leave."), NOTES)
                    .containsExactly("hello", " /quit ");
            server.replyWith(" 关闭 ").replyWith("(you should have left: I said 关闭)");
            String screen = chat(server, "hello again\nstill here?\n");
            assertThat(screen).as("the screen shows the server's quit word %s", NOTES).contains("关闭");
            List<String> second = receivedUntilTheEnd(server, "after the server's quit word \" 关闭 \", the chat closes"
                    + " its connection");
            assertThat(shown(second)).as("the lines the server received in the second chat: its answer \" 关闭 \" is"
                    + " a quit word (spaces around it are allowed: ChatProtocol.isQuit strips them), so the chat"
                    + " sends nothing more. %s %s", second.size() > 1 ? "" : whyReceived(List.of("hello again"), second,
                            ""), NOTES).containsExactly("hello again");
        }

        @Test
        @DisplayName("goes on when a longer line only contains a quit word, typed or answered")
        void quitWordsInsideLongerLines(ReferenceServer server) throws Exception {
            server.replyWith("type 关闭 or /quit to leave").replyWith("好的");
            String typed = "is 关闭 the quit word?\nhow do I /quit vim?\n/quit\n";
            String screen = chat(server, typed);
            List<String> received = receivedUntilTheEnd(server, "after the typed /quit, the chat closes its connection");
            List<String> expected = List.of("is 关闭 the quit word?", "how do I /quit vim?", "/quit");
            assertThat(shown(received)).as("the lines the server received, typed %s, the server answering \"type 关闭"
                    + " or /quit to leave\" and \"好的\". %s %s", Transcript.escape(typed), whyReceived(expected, received,
                    "The chat stopped before the typed /quit: a quit word is a whole line (spaces around it allowed),"
                    + " not a word inside a longer one. Compare the whole line with ChatProtocol.isQuit, not"
                    + " contains()."), NOTES)
                    .containsExactly(expected.toArray(String[]::new));
            assertThat(screen).as("the screen shows each answer %s", NOTES)
                    .containsSubsequence("type 关闭 or /quit to leave", "好的");
        }

        @Test
        @DisplayName("goes on after an empty line, typed or answered: it is a message like any other")
        void emptyLines(ReferenceServer server) throws Exception {
            server.replyWith("").replyWith("an empty line arrived").replyWith("好");
            String typed = "hello\n\n你好\n";
            BufferedReader keyboard = new BufferedReader(new StringReader(typed));
            StringWriter screen = new StringWriter();
            Student.run("chatting, the user typing " + Transcript.escape(typed) + ", the server answering \"\" to"
                    + " the first line", LIMIT, () -> Chat.run(server.address(), keyboard, new PrintWriter(screen, true)));
            List<String> received = receivedUntilTheEnd(server, "the chat closes its connection when the input ends");
            String left = keyboard.readLine();
            String why = whyReceived(List.of("hello", "", "你好"), received, "");
            if (!why.isEmpty() && !received.equals(List.of("hello", "你好"))) {
                // println's \r, a charset: said
            } else if (received.equals(List.of("hello")) && "".equals(left)) {
                why = "The chat stopped when the server answered with an empty line, before it read the next typed"
                        + " line: \"\" is a message; only null (the end of the stream) means the server closed.";
            } else if (received.equals(List.of("hello")) && "你好".equals(left)) {
                why = "The chat read the empty typed line and stopped: an empty line is not the end of the input;"
                        + " only null from keyboard.readLine() is (Python's \"if not data: break\" is the same bug).";
            } else if (!received.contains("")) {
                why = "The chat did not send the empty typed line: it is a message too, send it.";
            } else {
                why = "Send every typed line, print every answer, the empty ones too.";
            }
            assertThat(shown(received)).as("the lines the server received, typed %s, the server answering \"\" to"
                    + " \"hello\". %s %s", Transcript.escape(typed), why, NOTES).containsExactly("hello", "", "你好");
            assertThat(screen.toString()).as("the screen shows each answer %s", NOTES)
                    .containsSubsequence("an empty line arrived", "好");
        }

        @Test
        @DisplayName("lets a reset through as an IOException, and closes its connection all the same")
        void letsAResetThrough(ReferenceServer server) throws Exception {
            server.use(Policy.resetAfter(1)).replyWith("resetting now");
            String typed = "hello\nare you there?\n";
            StringWriter screen = new StringWriter();
            try {
                Student.run("chatting, the user typing " + Transcript.escape(typed) + ", the server resetting the"
                        + " connection after its first answer", LIMIT, () -> Chat.run(server.address(),
                        new BufferedReader(new StringReader(typed)), new PrintWriter(screen, true)));
            } catch (IOException expected) {
                // "Connection reset" (or "Broken pipe"): the caller, Lab2's main, tells the user
                assertThat(screen.toString()).as("the screen shows the answer sent before the reset %s", NOTES)
                        .contains("resetting now");
                return; // and the leak check after this check sees whether the socket was closed
            }
            fail("Chat.run returned normally after the server had reset the connection: a reset is an error, not an"
                    + " ending of the chat. Let the IOException through (the caller tells the user), and close the"
                    + " connection on the way out (try-with-resources). A PrintWriter or a Scanner on the socket"
                    + " swallows the IOException (and once a write has taken the reset's error, the next read sees a"
                    + " plain end of stream); so does a catch that returns null %s", NOTES);
        }
    }
}
