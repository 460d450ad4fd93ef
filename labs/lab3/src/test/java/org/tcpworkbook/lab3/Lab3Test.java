package org.tcpworkbook.lab3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.assertj.core.presentation.Representation;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.kit.LineChecks;
import org.tcpworkbook.kit.Loopback;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.OpenSockets;
import org.tcpworkbook.kit.Outcome;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Policy;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceClients;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Transcript;

@DisplayName("Lab 3: the single-client chat server")
@ExtendWith(Peers.class)
class Lab3Test {
    static final Duration LIMIT = StudentServer.LIMIT;
    /** How long a reference client waits for an answer, or for the end of its connection. */
    static final Duration WAIT = StudentServer.PROMPT;
    static final Duration IDLE = Duration.ofSeconds(10);
    /** How long a connect may take to show that nobody listens there (refused at once, or timed out). */
    static final Duration PROBE = Duration.ofMillis(500);
    static final String ONE_READ_IS_NOT_ONE_MESSAGE = "One read() is not one message: TCP delivers a stream of"
            + " bytes, split and joined as the network pleases; read until the \\n (a BufferedReader over an"
            + " InputStreamReader in UTF-8 does it).";

    /** Strings as Java source would write them: a "\r" is shown as \r, never as a raw carriage return. */
    static final Representation ESCAPED = new StandardRepresentation() {
        @Override
        protected String toStringOf(String s) {
            return "\"" + Transcript.escape(s) + "\"";
        }
    };

    /** One exchange: the client sends, and must get the server's answer. */
    static void exchange(StudentServer s, ReferenceClient client, String message, String notes) throws Exception {
        client.send(message);
        String answer = answerTo(s, client, message, notes);
        assertThat(answer).withRepresentation(ESCAPED).as("your server's answer to \"%s\" (the checker's replier"
                + " answers \"你说: \" + the message) %s%s", Transcript.escape(message), notes,
                WrongCharset.diagnose(message, answer)).isEqualTo(StudentServer.answer(message));
    }

    /**
     * The next line the client reads, which should answer {@code message}; when none comes, why not.
     * A line that ends in "\r" (before the "\n") fails the check: println on a socket.
     */
    static String answerTo(StudentServer s, ReferenceClient client, String message, String notes) throws IOException {
        String line;
        try {
            line = client.readLine(WAIT);
        } catch (AssertionFailedError e) {
            throw s.noAnswer(message, e, notes);
        }
        if (line.endsWith("\r")) {
            throw new AssertionFailedError("Your server's answer to \"" + Transcript.escape(message) + "\" arrived as \""
                    + Transcript.escape(line) + "\\n\": it ends in \\r\\n, but a message of the chat protocol ends in"
                    + " \\n alone. println on a socket sends the platform's line separator, \\r\\n on Windows (this"
                    + " check runs with \\r\\n, as Windows would): write the answer, then '\\n', and flush "
                    + Notes.see("lab3", "task-converse"));
        }
        return line;
    }

    /**
     * Calls bind with arguments that make no sense: it must throw IllegalArgumentException with a
     * message, and leave no socket open (counted the moment it returns: an argument checked after
     * the ServerSocket was made leaves one behind).
     */
    static void expectRejected(Problems problems, String call, Callable<ChatServer> bind) throws Exception {
        OpenSockets.Mark before = OpenSockets.mark();
        ChatServer server;
        try {
            server = Student.call("calling " + call, LIMIT, bind);
        } catch (IllegalArgumentException expected) {
            long left = before.stillOpen();
            if (left > 0) {
                String which = before.described();
                problems.add(call + " threw IllegalArgumentException, but left " + left + (left == 1 ? " socket" : " sockets")
                        + " open: check every argument before creating the ServerSocket (or close it before"
                        + " throwing)" + (which.isEmpty() ? "" : " (" + which + ")"));
            }
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                problems.add("the IllegalArgumentException of " + call + " should say what is wrong");
            }
            return;
        }
        Student.run("closing the server " + call + " returned", LIMIT, server::close);
        problems.add(call + " returned a server; it must throw IllegalArgumentException");
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: ChatServer.bind")
    class Task1 {
        static final String NOTES = Notes.see("lab3", "task-bind");

        @Test
        @DisplayName("listens on a port the OS chose when asked for port 0")
        void bindsAnEphemeralPort() throws Exception {
            int[] range = Loopback.ephemeralRange();
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                assertThat(s.port).as("port() of a server bound to port 0 %s", NOTES).isBetween(range[0], range[1]);
                assertThat(ReferenceClient.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), WAIT))
                        .as("a connect to 127.0.0.1:%d, where your server listens %s", s.port, NOTES)
                        .isEqualTo(Outcome.OPEN);
            }
        }

        @Test
        @DisplayName("listens on the port asked for")
        void bindsTheGivenPort() throws Exception {
            int wanted = Loopback.closedPort().getPort();
            ChatServer server = Student.call("binding 127.0.0.1:" + wanted, LIMIT,
                    () -> ChatServer.bind(InetAddress.getLoopbackAddress(), wanted, 5, IDLE));
            try {
                assertThat(Student.call("asking for the port", LIMIT, server::port))
                        .as("port() of a server bound to port %d %s", wanted, NOTES).isEqualTo(wanted);
            } finally {
                Student.run("closing the server", LIMIT, server::close);
            }
        }

        @Test
        @DisplayName("listens only on the address asked for, not on every interface")
        void bindsOnlyTheGivenAddress() throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                List<String> accepted = Loopback.otherAddressesAccepting(s.port, PROBE);
                assertThat(accepted).as("connects to other loopback addresses at your server's port, while it was"
                        + " bound to 127.0.0.1: a listener bound to one address accepts connections to that address"
                        + " alone. Yours accepted these, so it listens on every interface (the wildcard address, like"
                        + " Python's bind(('', port))): pass the address to new ServerSocket(port, backlog, address) %s",
                        NOTES).isEmpty();
            }
        }

        @Test
        @DisplayName("reports a port that is taken as BindException")
        void reportsAPortInUse(ReferenceServer other) throws Exception {
            OpenSockets.Mark before = OpenSockets.mark();
            try {
                ChatServer server = Student.call("binding 127.0.0.1:" + other.port() + ", where a reference server"
                        + " listens", LIMIT, () -> ChatServer.bind(InetAddress.getLoopbackAddress(), other.port(), 5, IDLE));
                Student.run("closing the server", LIMIT, server::close);
                fail("ChatServer.bind on 127.0.0.1:%d, where another server listens, returned a server: let the"
                        + " BindException through %s", other.port(), NOTES);
            } catch (BindException expected) {
                // "Address already in use"; and nothing left open, counted at once (no collector can close it first)
                long left = before.stillOpen();
                assertThat(left).as("sockets left open by ChatServer.bind on 127.0.0.1:%d, which threw BindException"
                        + " as it should: the socket made before the bind failed must be closed too (new"
                        + " ServerSocket(port, backlog, address) closes it itself; new ServerSocket() then bind()"
                        + " needs a try/catch that closes it) %s", other.port(), NOTES).isLessThanOrEqualTo(0L);
            }
        }

        @Test
        @DisplayName("refuses an idle timeout too long for setSoTimeout at bind(), or serves with it")
        void longestIdleTimeout(ReferenceClients clients) throws Exception {
            Duration days = Duration.ofDays(30); // 2 592 000 000 ms: more than an int holds
            InetAddress loopback = InetAddress.getLoopbackAddress();
            String call = StudentServer.bindCall(loopback, 0, 5, days);
            ChatServer server;
            try {
                server = Student.call("calling " + call, LIMIT, () -> ChatServer.bind(loopback, 0, 5, days));
            } catch (IllegalArgumentException refused) {
                return; // refused where the caller can see it: fine
            }
            Student.run("closing the server", LIMIT, server::close);
            try (StudentServer s = StudentServer.start(5, days)) {
                ReferenceClient client = clients.connect(s.port);
                client.send("hello");
                try {
                    answerTo(s, client, "hello", NOTES);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(call + " returned a server, but it could not serve a client: "
                            + e.getMessage() + " 30 days are " + days.toMillis() + " ms, more than an int holds:"
                            + " (int) idleTimeout.toMillis() overflows to a negative number, and setSoTimeout throws"
                            + " IllegalArgumentException only when the first client comes. Refuse such a timeout in"
                            + " bind(), with the other arguments that make no sense " + NOTES, e);
                }
            }
        }

        @Test
        @DisplayName("listens on the address asked for, also ::1 (IPv6)")
        void bindsTheGivenAddressInEitherFamily() throws Exception {
            InetAddress v6 = InetAddress.getByName("::1");
            try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
                probe.getLocalPort();
            } catch (IOException e) {
                org.junit.jupiter.api.Assumptions.abort("this machine has no ::1 to listen on");
            }
            try (StudentServer s = StudentServer.start(v6, 5, IDLE)) {
                Outcome there = ReferenceClient.probe(new InetSocketAddress(v6, s.port), PROBE);
                Outcome v4 = ReferenceClient.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), PROBE);
                assertThat(there).as("a connect to [::1]:%d, where ChatServer.bind(::1, 0, 5, 10 s) should listen (a"
                        + " connect to 127.0.0.1:%d was %s): listen on the address bind() was given, new"
                        + " ServerSocket(port, backlog, address), not on one of your choosing %s", s.port, s.port, v4,
                        NOTES).isEqualTo(Outcome.OPEN);
                assertThat(v4).as("a connect to 127.0.0.1:%d, while your server was bound to ::1 alone: it listens on"
                        + " other addresses too (every interface?): pass the address to new ServerSocket(port, backlog,"
                        + " address) %s", s.port, NOTES).isEqualTo(Outcome.REFUSED);
            }
        }

        @Test
        @DisplayName("rejects a port, backlog or idle timeout that makes no sense")
        void rejectsNonsense() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Problems problems = new Problems();
            for (int port : new int[] {-1, 65536}) {
                expectRejected(problems, StudentServer.bindCall(loopback, port, 5, IDLE),
                        () -> ChatServer.bind(loopback, port, 5, IDLE));
            }
            for (int backlog : new int[] {0, -1}) {
                expectRejected(problems, StudentServer.bindCall(loopback, 0, backlog, IDLE),
                        () -> ChatServer.bind(loopback, 0, backlog, IDLE));
            }
            for (Duration idle : new Duration[] {Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(-500_000)}) {
                expectRejected(problems, StudentServer.bindCall(loopback, 0, 5, idle),
                        () -> ChatServer.bind(loopback, 0, 5, idle));
            }
            problems.assertNone(NOTES);
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: ChatServer.serve, the conversation")
    class Task2 {
        static final String NOTES = Notes.see("lab3", "task-converse");

        @Test
        @DisplayName("answers each message in turn, Chinese both ways")
        void answersInTurn(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                exchange(s, client, "hello", NOTES);
                exchange(s, client, "你好，服务器", NOTES);
                exchange(s, client, "third", NOTES);
            }
        }

        @Test
        @DisplayName("reassembles a message that arrives one byte at a time")
        void reassemblesFragments(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port, Policy.fragment(1));
                exchange(s, client, "一个字节一个字节地", NOTES + " " + ONE_READ_IS_NOT_ONE_MESSAGE);
            }
        }

        @Test
        @DisplayName("answers two messages that arrive in one write, in order")
        void answersCoalescedMessages(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port, Policy.COALESCE);
                client.send("first", "second");
                for (String message : new String[] {"first", "second"}) {
                    assertThat(answerTo(s, client, message, NOTES)).as("your server's answer to \"%s\", sent in one"
                            + " write with the other message. %s %s", message, ONE_READ_IS_NOT_ONE_MESSAGE, NOTES)
                            .isEqualTo(StudentServer.answer(message));
                }
            }
        }

        @Test
        @DisplayName("reports the address and port of the client that connected")
        void reportsTheClient(ReferenceClients clients) throws Exception {
            int local = Loopback.closedPort().getPort();
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                clients.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), Policy.NORMAL, local);
                assertThat(s.takeEvent("the connected event", "Call events.connected(...) after accept() " + NOTES)).as("the event for a client connecting from port %d:"
                        + " accept() tells who connected (getRemoteSocketAddress) %s", local, NOTES)
                        .isEqualTo("connected 127.0.0.1:" + local);
            }
        }
    }

    /** The limit of a line, in bytes of UTF-8 without its line end. */
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;
    /** Exactly MAX bytes: 1365 Chinese characters of 3 bytes, and one letter. */
    static final String LONGEST = "长".repeat(MAX / 3) + "a".repeat(MAX % 3);
    /** One byte more: 4097 bytes, but only 1367 characters (a limit counted in characters lets it through). */
    static final String TOO_LONG = LONGEST + "a";
    static final String LIMIT_NOTES = Notes.see("lab3", "line-limit");
    static final String UNBOUNDED = "BufferedReader.readLine() keeps reading until a line end comes, however far"
            + " away, and holds the whole line in memory: one client can make your server read (and keep) 100 MB."
            + " Read with the given LineReader, new LineReader(socket.getInputStream()): it throws BadLineException"
            + " as soon as a line passes ChatProtocol.MAX_LINE_BYTES (" + MAX + " bytes); send e.errorLine() and a \\n,"
            + " then end that conversation";

    static final LineChecks LINES = new LineChecks(WAIT, ChatProtocol.LINE_TOO_LONG,
            "send e.errorLine() of the BadLineException", UNBOUNDED, LIMIT_NOTES, "conversation", ESCAPED);

    /**
     * After the client sent {@code what}, a line longer than the limit: the next line must be
     * ChatProtocol.LINE_TOO_LONG, then the end of the stream (a FIN, or a reset: the rest of the line
     * may still be unread when the server closes).
     */
    static void assertRefused(StudentServer s, ReferenceClient client, String what, String tooLongAnswer)
            throws Exception {
        LINES.assertRefused(client, what, tooLongAnswer, () -> "");
    }

    /** After a client's line was too long, the server goes on with the next client. */
    static void nextClientServed(StudentServer s, ReferenceClients clients) throws Exception {
        String why = "A client sent a line too long, and was told so: that ends its conversation only, and the"
                + " server goes on with the next client (never close the listener) " + LIMIT_NOTES;
        ReferenceClient next;
        try {
            next = clients.connect(s.port);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage() + s.endedEarly() + " " + why, e);
        }
        exchange(s, next, "next!", why);
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: ChatServer.serve, the line and its limit")
    class Task2Lines {
        static final String NOTES = LIMIT_NOTES;

        @Test
        @DisplayName("answers a line of MAX_LINE_BYTES bytes; one byte more gets LINE_TOO_LONG and the end, and the next client is served")
        void boundsTheLine(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                client.send(LONGEST);
                String answer = answerTo(s, client, "(" + MAX + " bytes)", NOTES);
                assertThat(answer).withRepresentation(ESCAPED).as("your server's answer to a line of exactly"
                        + " ChatProtocol.MAX_LINE_BYTES = %d bytes (1365 Chinese characters and a letter), which the"
                        + " protocol allows (the checker's replier answers a long message with its length and hash):"
                        + " the limit counts bytes of UTF-8, and this many is still fine %s", MAX, NOTES)
                        .isEqualTo(StudentServer.answer(LONGEST));
                client.send(TOO_LONG);
                assertRefused(s, client, "a line of " + (MAX + 1) + " bytes (1367 characters) and its \\n",
                        StudentServer.answer(TOO_LONG));
                nextClientServed(s, clients);
            }
        }

        @Test
        @DisplayName("refuses a line as soon as it passes the limit, without waiting for its line end")
        void refusesWithoutTheLineEnd(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                assertRefused(s, client, LineChecks.sendEndlessLine(client, MAX), null);
                nextClientServed(s, clients);
            }
        }

        @Test
        @DisplayName("takes a lone \\r as part of the message, and \\r\\n as a line end")
        void carriageReturns(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                LINES.carriageReturns(client, () -> " " + NOTES, (c, answer) ->
                        assertThat(answer).withRepresentation(ESCAPED).as("your server's answer to the bytes \"%s\", the"
                                + " message \"%s\" (what it asked the replier: %s): %s %s", Transcript.escape(c.sent()),
                                Transcript.escape(c.message()), Transcript.escape(String.valueOf(s.asked())), c.why(), NOTES)
                                .isEqualTo(StudentServer.answer(c.message())));
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: when the client leaves")
    class Task3 {
        static final String NOTES = Notes.see("lab3", "task-client-leaves");

        @Test
        @DisplayName("goes back to accept the next client when one closes, three in a row")
        void servesClientsOneAfterAnother(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                String hint = "When a client closes, the server's read() returns -1 (readLine() returns null): that"
                        + " conversation is over. Close the accepted socket, tell events.left(...), and go back to"
                        + " accept() the next client. " + NOTES;
                for (int i = 1; i <= 3; i++) {
                    ReferenceClient client = clients.connect(s.port);
                    exchange(s, client, "I am client " + i, NOTES);
                    client.close();
                    s.takeEvent("client " + i + " connecting", hint);
                    assertThat(s.takeEvent("client " + i + " leaving", hint)).as(hint).startsWith("left ");
                    assertThat(s.asked()).as("what your server asked the replier (the operator) to answer, by the"
                            + " time client %d had left: it asked the replier to answer null. readLine() returns null"
                            + " when the client has closed (read() returned -1): that conversation is over, never a"
                            + " message to answer %s", i, NOTES).doesNotContainNull();
                }
            }
        }

        @Test
        @DisplayName("closes the connection after a quit word from the client, then serves the next")
        void closesOnTheClientsQuitWord(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient first = clients.connect(s.port);
                exchange(s, first, "hello", NOTES);
                first.send("关闭");
                assertThat(first.awaitEnd(WAIT)).as("after the client's quit word 关闭, your server closes the"
                        + " connection: close the accepted socket when a conversation ends (try-with-resources) %s",
                        NOTES).isEqualTo(Outcome.EOF);
                s.assertAcceptedSocketClosedWhenLeft("the client's quit word 关闭", NOTES);
                assertThat(s.asked()).as("what your server asked the replier (the operator) to answer: it asked the"
                        + " replier to answer the client's quit word 关闭. A quit word ends the conversation at once:"
                        + " check for it before asking for an answer %s", NOTES).doesNotContain("关闭");
                exchange(s, clients.connect(s.port), "next!", NOTES);
            }
        }

        @Test
        @DisplayName("sends its own quit word, then closes the connection")
        void closesAfterItsOwnQuitWord(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                exchange(s, client, StudentServer.PLEASE_QUIT, NOTES);
                assertThat(client.awaitEnd(WAIT)).as("after sending the quit word, your server closes the connection:"
                        + " close the accepted socket when a conversation ends (try-with-resources) %s",
                        NOTES).isEqualTo(Outcome.EOF);
                s.assertAcceptedSocketClosedWhenLeft("sending its own quit word 关闭", NOTES);
            }
        }

        @Test
        @DisplayName("survives a client that resets, and serves the next")
        void survivesAReset(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient rude = clients.connect(s.port);
                exchange(s, rude, "hello", NOTES);
                rude.reset();
                String hint = "After a reset, your server's read() throws SocketException \"Connection reset\": that"
                        + " conversation is over. End it, close its socket, and go back to accept() the next client. "
                        + NOTES;
                exchange(s, clients.connect(s.port), "still serving?", hint);
                assertThat(s.isServing()).as("serve() is still running after a client reset.%s %s", s.endedEarly(),
                        hint).isTrue();
            }
        }

        @Test
        @DisplayName("ends the conversation on a quit word with spaces around it, and on /quit")
        void quitWordForms(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                for (String quit : new String[] {"/quit", "  关闭 ", "\t/quit ", "关闭\u3000"}) {
                    ReferenceClient client = clients.connect(s.port);
                    exchange(s, client, "hello", NOTES);
                    client.send(quit);
                    Outcome end = client.awaitEnd(WAIT);
                    assertThat(s.asked()).withRepresentation(ESCAPED).as("what your server asked the replier to"
                            + " answer: it asked for an answer to the quit word \"%s\". The quit words are 关闭 and"
                            + " /quit, also with spaces around them (ChatProtocol.isQuit(line) strips them with"
                            + " String.strip(), which also removes the full-width space U+3000 that a Chinese input"
                            + " method types; trim() does not, and equals() keeps every space) %s",
                            Transcript.escape(quit), NOTES).doesNotContain(quit);
                    assertThat(end).as("after the client's quit word \"%s\", your server closes the connection %s",
                            Transcript.escape(quit), NOTES).isEqualTo(Outcome.EOF);
                    s.assertAcceptedSocketClosedWhenLeft("the client's quit word \"" + Transcript.escape(quit) + "\"", NOTES);
                }
            }
        }

        @Test
        @DisplayName("answers lines that only look like a quit word, and an empty line")
        void answersLookAlikes(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                Map<String, String> lookAlikes = new LinkedHashMap<>();
                lookAlikes.put("请不要关闭", "it contains the quit word 关闭 but is not one: a quit word is the whole line"
                        + " (spaces around it aside), ChatProtocol.isQuit(line), not line.contains(...)");
                lookAlikes.put("/quit now", "it starts with /quit but is not a quit word: a quit word is the whole line,"
                        + " ChatProtocol.isQuit(line)");
                lookAlikes.put("/QUIT", "the quit word is /quit, in lower case: compare with equals() (ChatProtocol.isQuit),"
                        + " not equalsIgnoreCase()");
                lookAlikes.put("", "an empty line is a message like any other (readLine() returned \"\"); the end of the"
                        + " stream is readLine() returning null. Python's `if not data` does not translate to isEmpty()");
                for (Map.Entry<String, String> lookAlike : lookAlikes.entrySet()) {
                    String message = lookAlike.getKey();
                    String why = "the client sent \"" + Transcript.escape(message) + "\": " + lookAlike.getValue() + " " + NOTES;
                    client.send(message);
                    String answer;
                    try {
                        answer = client.readLine(WAIT);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(e.getMessage() + " Your server did not answer, yet " + why, e);
                    }
                    assertThat(answer).withRepresentation(ESCAPED).as("your server's answer to \"%s\": %s",
                            Transcript.escape(message), why).isEqualTo(StudentServer.answer(message));
                }
            }
        }

        @Test
        @DisplayName("sends its own quit word with spaces around it, or /quit, then closes the connection")
        void ownQuitWordForms(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                for (String please : new String[] {StudentServer.PLEASE_QUIT_SPACED, StudentServer.PLEASE_SLASH_QUIT}) {
                    String quit = StudentServer.answer(please);
                    ReferenceClient client = clients.connect(s.port);
                    exchange(s, client, please, NOTES);
                    assertThat(client.awaitEnd(WAIT)).as("after sending the replier's answer \"%s\", a quit word (spaces"
                            + " around it count: check the answer with ChatProtocol.isQuit(answer)), your server closes"
                            + " the connection %s", quit, NOTES).isEqualTo(Outcome.EOF);
                    s.assertAcceptedSocketClosedWhenLeft("sending its own quit word \"" + quit + "\"", NOTES);
                }
            }
        }

        @Test
        @DisplayName("ends the conversation at once when the replier answers null")
        void endsOnNoAnswer(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                exchange(s, client, "hello", NOTES);
                client.send(StudentServer.NO_ANSWER);
                String hint = "the checker's replier answered null to \"" + StudentServer.NO_ANSWER + "\", which means"
                        + " (Replier.replyTo) that the conversation ends at once: send nothing, close the accepted"
                        + " socket, tell events.left " + NOTES;
                assertThat(client.awaitEnd(WAIT)).as("how the connection ended: %s", hint).isEqualTo(Outcome.EOF);
                String sent = null;
                try {
                    sent = client.readLine(Duration.ofMillis(1));
                } catch (AssertionFailedError nothing) {
                    // the end of the stream, and no line before it
                }
                assertThat(sent).withRepresentation(ESCAPED).as("the line your server sent after the replier's null"
                        + " answer: %s", hint).isNull();
                s.assertAcceptedSocketClosedWhenLeft("the replier's null answer", NOTES);
                exchange(s, clients.connect(s.port), "next!", NOTES);
            }
        }

        @Test
        @DisplayName("tells events.left the client that left, and a reason of its own for each ending")
        void reportsEachEnding(ReferenceClients clients) throws Exception {
            Map<String, StudentServer.Left> lefts = endEveryWay(clients);
            String hint = "ServerEvents.left(client, why): the client whose conversation is over (the address"
                    + " events.connected named), and why it ended, in words that tell the endings apart: \"left\","
                    + " \"quit\", \"silent too long\", \"reset\"... " + NOTES;
            Map<String, String> endingOf = new LinkedHashMap<>();
            for (Map.Entry<String, StudentServer.Left> e : lefts.entrySet()) {
                StudentServer.Left left = e.getValue();
                assertThat(left.why()).as("the reason your server gave events.left after %s: %s", e.getKey(), hint)
                        .isNotBlank();
                String reason = left.why().strip();
                String earlier = endingOf.putIfAbsent(reason, e.getKey());
                if (earlier != null) {
                    throw new AssertionFailedError("Your server told events.left the same reason, " + left.shown()
                            + ", after " + earlier + " and after " + e.getKey() + ": the reason must say how the"
                            + " conversation ended. (A Scanner hides the difference: it swallows the read timeout and"
                            + " the reset, and hasNextLine() just says false; a BufferedReader's readLine() returns"
                            + " null at the end of the stream and throws SocketTimeoutException or SocketException"
                            + " otherwise.) " + hint);
                }
            }
        }

        @Test
        @DisplayName("closes the accepted socket however the conversation ends, before telling events.left")
        void closesOnEveryEnding(ReferenceClients clients) throws Exception {
            // endEveryWay asserts it at each ending
            assertThat(endEveryWay(clients)).hasSize(6);
        }
    }

    /**
     * Ends one conversation in each way there is, and returns what the server told events.left each
     * time, by ending; fails the check when an event names another client than the one that
     * connected, or when the accepted socket was still open. The silent client has a server of its
     * own, with a short idle timeout; the others one whose idle timeout no loaded machine reaches.
     */
    static Map<String, StudentServer.Left> endEveryWay(ReferenceClients clients) throws Exception {
        String[] endings = {"the client closed its connection", "the client's quit word 关闭",
            "the server's own quit word 关闭", "the replier's null answer", "the client reset its connection",
            "the idle timeout (the client was silent)"};
        Map<String, StudentServer.Left> lefts = new LinkedHashMap<>();
        try (StudentServer s = StudentServer.start(5, IDLE)) {
            for (int i = 0; i < endings.length - 1; i++) {
                end(s, clients, i, endings[i], lefts);
            }
        }
        try (StudentServer s = StudentServer.start(5, Duration.ofMillis(300))) {
            end(s, clients, endings.length - 1, endings[endings.length - 1], lefts);
        }
        return lefts;
    }

    private static void end(StudentServer s, ReferenceClients clients, int way, String ending,
            Map<String, StudentServer.Left> lefts) throws Exception {
        String notes = Task3.NOTES;
        ReferenceClient client = clients.connect(s.port);
        String connected = s.takeEvent("the connected event", "Call events.connected(...) after accept() " + Task2.NOTES);
        switch (way) {
            case 0 -> {
                exchange(s, client, "hello", notes);
                client.close();
            }
            case 1 -> {
                exchange(s, client, "hello", notes);
                client.send("关闭");
            }
            case 2 -> exchange(s, client, StudentServer.PLEASE_QUIT, notes);
            case 3 -> client.send(StudentServer.NO_ANSWER);
            case 4 -> {
                exchange(s, client, "hello", notes);
                client.reset();
            }
            default -> { } // silent
        }
        StudentServer.Left left = s.awaitLeft(ending, notes);
        s.takeEvent("the left event", notes);
        assertThat("left " + left.client()).as("the client your server named in events.left after %s, and the"
                + " one it had named in events.connected (%s): the same client, told by the address and port"
                + " accept() gave (getRemoteSocketAddress()) %s", ending, connected, notes)
                .isEqualTo(connected.replaceFirst("^connected ", "left "));
        s.assertClosedWhenLeft(left, ending, notes);
        lefts.put(ending, left);
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: the idle timeout")
    class Task4 {
        static final String NOTES = Notes.see("lab3", "task-idle-timeout");

        @Test
        @DisplayName("drops a client that stays silent, and serves the next")
        void dropsASilentClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(5, Duration.ofMillis(300))) {
                long start = System.nanoTime(); // before the connect: the server's timer cannot start earlier
                ReferenceClient silent = clients.connect(s.port);
                Outcome end = silent.awaitEnd(Duration.ofMillis(300).plus(WAIT));
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                List<StudentServer.Left> told = s.leftLog();
                if (end == Outcome.OPEN && !told.isEmpty()) {
                    throw new AssertionFailedError("Your server noticed the silent client (it told events.left("
                            + told.get(0).client() + ", " + told.get(0).shown() + ")), but its connection stayed open:"
                            + " the client was still connected " + elapsed + " ms after it began to connect. Close the"
                            + " accepted socket when the read times out too (try-with-resources closes it on every"
                            + " path) " + NOTES);
                }
                assertThat(end).as("a client silent for longer than the idle timeout (300 ms) is dropped: set the"
                        + " accepted socket's read timeout (setSoTimeout), in milliseconds: (int) idleTimeout.toMillis()."
                        + " (Python's settimeout counts seconds; 300 ms in whole seconds is 0, and setSoTimeout(0)"
                        + " waits for ever) %s", NOTES).isEqualTo(Outcome.EOF);
                assertThat(elapsed).as("the silent client was dropped %d ms after it began to connect, before the idle"
                        + " timeout of 300 ms: the read timeout is the idle timeout given to bind() %s", elapsed, NOTES)
                        .isGreaterThanOrEqualTo(250L);
                exchange(s, clients.connect(s.port), "my turn", NOTES);
            }
        }

        @Test
        @DisplayName("counts the idle timeout in milliseconds exactly: 1.5 s is 1500 ms, and 0.5 ms is not 0")
        void idleTimeoutBoundaries(ReferenceClients clients) throws Exception {
            Duration idle = Duration.ofMillis(1500);
            try (StudentServer s = StudentServer.start(5, idle)) {
                long start = System.nanoTime();
                ReferenceClient silent = clients.connect(s.port);
                Outcome end = silent.awaitEnd(idle.plus(WAIT));
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertThat(end).as("a client silent for longer than the idle timeout (1.5 s) is dropped; yours was"
                        + " still connected after %d ms. Is 1.5 s converted with toMillisPart() (500 ms) or"
                        + " getNano()? setSoTimeout takes the whole duration in milliseconds, (int)"
                        + " idleTimeout.toMillis() %s", elapsed, NOTES).isEqualTo(Outcome.EOF);
                assertThat(elapsed).as("the silent client was dropped %d ms after it began to connect, before the idle"
                        + " timeout of 1.5 s = 1500 ms: setSoTimeout takes milliseconds, all of them: not toMillisPart()"
                        + " (the 500 ms beyond the whole seconds), not toSeconds() (Python's settimeout counts seconds;"
                        + " Java's setSoTimeout counts milliseconds) %s", elapsed, NOTES).isGreaterThanOrEqualTo(1450L);
            }
            Duration tiny = Duration.ofNanos(500_000);
            try (StudentServer s = StudentServer.start(5, tiny)) {
                ReferenceClient silent = clients.connect(s.port);
                assertThat(silent.awaitEnd(WAIT)).as("a client silent for longer than an idle timeout of 0.5 ms is"
                        + " dropped at once; yours was still connected %d ms later: (int) idleTimeout.toMillis()"
                        + " rounds 0.5 ms down to 0, and setSoTimeout(0) means wait for ever. Round a positive timeout"
                        + " under 1 ms up to 1 ms %s", WAIT.toMillis(), NOTES).isEqualTo(Outcome.EOF);
            }
        }

        @Test
        @DisplayName("waits in accept() as long as it takes: the idle timeout is for clients, not for the listener")
        void acceptWaitsForEver(ReferenceClients clients) throws Exception {
            Duration idle = Duration.ofMillis(300);
            try (StudentServer s = StudentServer.start(5, idle)) {
                if (!s.stillServingAfter(idle.multipliedBy(3))) {
                    Throwable thrown = s.thrown();
                    String cause = thrown instanceof SocketTimeoutException && StudentServer.inAccept(thrown.getStackTrace())
                            ? "accept() timed out: the idle timeout was set on the listening socket. Set it on each"
                            + " accepted socket (client.setSoTimeout), never on the ServerSocket: a server waits for its"
                            + " next client as long as it takes."
                            : "with no client at all.";
                    throw new AssertionFailedError("serve() ended within " + idle.multipliedBy(3).toMillis() + " ms"
                            + " of starting, with an idle timeout of 300 ms and no client connected: " + s.endedEarly().strip()
                            + " " + cause + " " + NOTES);
                }
                assertThat(ReferenceClient.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), WAIT))
                        .as("a connect to your server after %d ms without clients %s", idle.multipliedBy(3).toMillis(),
                        NOTES).isEqualTo(Outcome.OPEN);
            }
        }
    }

    @Nested
    @Tag("task-5")
    @DisplayName("Task 5: the backlog")
    class Task5 {
        static final String NOTES = Notes.see("lab3", "task-backlog");

        @Test
        @DisplayName("queues exactly backlog + 1 clients while it is busy with one")
        void queuesBacklogPlusOne(ReferenceClients clients) throws Exception {
            for (int backlog : new int[] {2, 1, 3}) {
                queuesBacklogPlusOne(clients, backlog);
            }
        }

        private void queuesBacklogPlusOne(ReferenceClients clients, int backlog) throws Exception {
            try (StudentServer s = StudentServer.start(backlog, IDLE)) {
                exchange(s, clients.connect(s.port), "keeping you busy", NOTES);
                List<Outcome> waiting = new ArrayList<>();
                for (int i = 0; i < backlog + 3; i++) {
                    Outcome outcome = clients.tryConnect(s.port, Duration.ofMillis(300));
                    waiting.add(outcome);
                    if (outcome != Outcome.OPEN) {
                        break;
                    }
                }
                List<Outcome> expected = new ArrayList<>(java.util.Collections.nCopies(backlog + 1, Outcome.OPEN));
                expected.add(Outcome.TIMED_OUT);
                assertThat(waiting).as("while your server talks to one client, the kernel completes at most backlog + 1"
                        + " = %d more connects (Linux), the next times out; with bind(..., backlog %d, ...) pass the"
                        + " backlog to the ServerSocket, new ServerSocket(port, backlog, address), not a number of your"
                        + " own (Python's listen(5)) %s", backlog + 1, backlog, NOTES)
                        .containsExactlyElementsOf(expected);
            }
        }

        @Test
        @DisplayName("serves a client that waited in the backlog, its first message included")
        void servesAWaitingClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(2, IDLE)) {
                ReferenceClient busy = clients.connect(s.port);
                exchange(s, busy, "keeping you busy", NOTES);
                ReferenceClient waiting = clients.connect(s.port);
                waiting.send("I have been waiting");
                busy.close();
                String answer = answerTo(s, waiting, "I have been waiting", NOTES);
                assertThat(answer).withRepresentation(ESCAPED).as("the answer to the first message of a client that"
                        + " connected and sent it while your server was busy with another: when that conversation"
                        + " ends, accept() takes the waiting client and its message is read at once %s", NOTES)
                        .isEqualTo(StudentServer.answer("I have been waiting"));
            }
        }
    }

    @Nested
    @Tag("task-6")
    @DisplayName("Task 6: ChatServer.close, the stop")
    class Task6 {
        static final String NOTES = Notes.see("lab3", "task-stop");

        @Test
        @DisplayName("stops a server waiting for clients: serve() returns, new clients are refused")
        void stopsWhileWaiting() throws Exception {
            StudentServer s = StudentServer.start(5, IDLE);
            s.stop();
            assertThat(ReferenceClient.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), WAIT))
                    .as("a connect after close(): the listener is closed %s", NOTES).isEqualTo(Outcome.REFUSED);
        }

        @Test
        @DisplayName("stops a server in the middle of a conversation, promptly")
        void stopsWhileTalking(ReferenceClients clients) throws Exception {
            StudentServer s = StudentServer.start(5, IDLE);
            ReferenceClient client = clients.connect(s.port);
            exchange(s, client, "talking", NOTES);
            s.stop();
            assertThat(client.awaitEnd(WAIT)).as("the client of a server that stopped sees its connection end %s", NOTES)
                    .isIn(Outcome.EOF, Outcome.RESET);
            s.assertAcceptedSocketClosedWhenLeft("close() stopped the server in the middle of the conversation", NOTES);
        }

        @Test
        @DisplayName("stops a server whose close() comes just after accept(), before the conversation begins")
        void stopsJustAfterAccept(ReferenceClients clients) throws Exception {
            StudentServer s = StudentServer.start(5, IDLE);
            StudentServer.Gate gate = s.holdNextConnected();
            ReferenceClient client = clients.connect(s.port);
            gate.awaitEntered("Your server did not call events.connected(...) within " + StudentServer.PROMPT.toMillis()
                    + " ms of a client connecting: call it after accept() " + Task2.NOTES);
            // serve() is inside events.connected, between accept() and the conversation: stop it right there
            try {
                s.closeNow("stopping the server with close(), while serve() was in events.connected");
            } finally {
                gate.release();
            }
            Outcome end = client.awaitEnd(WAIT);
            assertThat(end).as("the client your server had just accepted when close() was called (the checker called"
                    + " close() while serve() was in events.connected for it, and then let events.connected return):"
                    + " that connection must end too. Remember the accepted socket where close() can see it, then look"
                    + " whether the listener was closed meanwhile (listener.isClosed()); close() may come at any"
                    + " moment %s", NOTES).isIn(Outcome.EOF, Outcome.RESET);
            s.stop();
            s.assertAcceptedSocketClosedWhenLeft("close() came just after accept()", NOTES);
        }

        @Test
        @DisplayName("stops a server that is waiting for the replier's answer")
        void stopsWhileAnswering(ReferenceClients clients) throws Exception {
            StudentServer s = StudentServer.start(5, IDLE);
            ReferenceClient client = clients.connect(s.port);
            exchange(s, client, "first", NOTES);
            StudentServer.Gate gate = s.holdNextReply();
            client.send("second");
            gate.awaitEntered("Your server did not ask the replier to answer \"second\" within "
                    + StudentServer.PROMPT.toMillis() + " ms " + Task2.NOTES);
            try {
                s.closeNow("stopping the server with close(), while serve() waited for the replier");
            } finally {
                gate.release();
            }
            assertThat(client.awaitEnd(WAIT)).as("the client of a server stopped while it waited for the replier's answer"
                    + " sees its connection end %s", NOTES).isIn(Outcome.EOF, Outcome.RESET);
            s.stop();
            s.assertAcceptedSocketClosedWhenLeft("close() stopped the server while it waited for the replier", NOTES);
        }
    }
}
