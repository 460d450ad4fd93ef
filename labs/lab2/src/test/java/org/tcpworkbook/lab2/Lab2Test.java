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
                    assertThat(elapsed).as("the connect gave up after %d ms with a connect timeout of 300 ms:"
                            + " pass it to Socket.connect %s", elapsed, NOTES).isBetween(250L, 1000L);
                }
            }
        }

        @Test
        @DisplayName("rejects timeouts that are not positive (0 would wait forever)")
        void rejectsTimeoutsThatAreNotPositive(ReferenceServer server) throws Exception {
            Problems problems = new Problems();
            problems.expectIllegalArgument("ChatClient.connect(server, 0 ms, 2 s)", LIMIT,
                    () -> ChatClient.connect(server.address(), Duration.ZERO, READ_TIMEOUT));
            problems.expectIllegalArgument("ChatClient.connect(server, 2 s, 0 ms)", LIMIT,
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, Duration.ZERO));
            problems.expectIllegalArgument("ChatClient.connect(server, 2 s, -1 ms)", LIMIT,
                    () -> ChatClient.connect(server.address(), CONNECT_TIMEOUT, Duration.ofMillis(-1)));
            problems.assertNone(NOTES);
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
                for (String message : new String[] {"hello", "你好，服务器", "关闭 is the quit word"}) {
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
                    assertThat(received)
                            .as("the line the reference server received for send(\"%s\"): UTF-8 bytes, then \\n,"
                                + " then flush. %s %s", message, Diagnosis.ofSent(message, received), NOTES)
                            .isEqualTo(message);
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
                    String received = StudentClient.receive(client, "receiving with the server's policy " + policy);
                    String hint = Diagnosis.ofReceived(List.of(replies), i, received);
                    assertThat(received).as("what receive() returned, the server writing with policy %s. %s %s %s",
                            policy, situation, hint.isEmpty() ? "Return exactly one line, without its \\n, decoded"
                                    + " from UTF-8." : hint, NOTES).isEqualTo(replies[i]);
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
                            + " SocketTimeoutException: let it through, the caller decides %s",
                            line == null ? "null" : "\"" + line + "\"", NOTES);
                } catch (SocketTimeoutException expected) {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    assertThat(elapsed).as("receive() gave up after %d ms with a read timeout of 300 ms %s",
                            elapsed, NOTES).isBetween(250L, 1000L);
                }
            } finally {
                StudentClient.closeQuietly(client);
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
            assertThat(server.takeReceived(WAIT)).as("the first line typed %s", NOTES).isEqualTo("hello");
            assertThat(server.takeReceived(WAIT)).as("the second line typed %s", NOTES).isEqualTo("你好吗");
            assertThat(screen).as("the screen shows each answer, in order %s", NOTES)
                    .containsSubsequence("hi there", "我很好");
            assertThat(server.awaitClientEnd(WAIT)).as("the chat closes its connection at the end %s", NOTES)
                    .isEqualTo(Outcome.EOF);
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
            assertThat(receivedUntilTheEnd(server, "after the quit word, the chat closes its connection"))
                    .as("the lines the server received: the quit word goes to the server too, so that it knows,"
                        + " and nothing after it %s", NOTES)
                    .containsExactly("hello", "关闭");
        }

        @Test
        @DisplayName("stops when the server answers with a quit word")
        void stopsWhenTheServerQuits(ReferenceServer server) throws Exception {
            server.replyWith("/quit").replyWith("(you should have left: I said /quit)");
            String screen = chat(server, "hello\nstill here?\n");
            assertThat(screen).as("the screen shows the server's quit word %s", NOTES).contains("/quit");
            assertThat(receivedUntilTheEnd(server, "after the server's quit word, the chat closes its connection"))
                    .as("the lines the server received: after the server's quit word /quit (ChatProtocol.isQuit"
                        + " knows both words), the chat closes its connection and sends nothing more %s", NOTES)
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
    }
}
