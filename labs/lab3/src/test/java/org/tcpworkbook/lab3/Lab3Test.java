package org.tcpworkbook.lab3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceClients;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;

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

    /** One exchange: the client sends, and must get the server's answer. */
    static void exchange(StudentServer s, ReferenceClient client, String message, String notes) throws Exception {
        client.send(message);
        String answer = answerTo(s, client, message, notes);
        assertThat(answer).as("your server's answer to \"%s\" (the checker's replier answers"
                + " \"你说: \" + the message) %s%s", message, notes, WrongCharset.diagnose(message, answer))
                .isEqualTo(StudentServer.answer(message));
    }

    /** The next line the client reads, which should answer {@code message}; when none comes, why not. */
    static String answerTo(StudentServer s, ReferenceClient client, String message, String notes) throws IOException {
        try {
            return client.readLine(WAIT);
        } catch (AssertionFailedError e) {
            throw s.noAnswer(message, e, notes);
        }
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
            try {
                ChatServer server = Student.call("binding 127.0.0.1:" + other.port() + ", where a reference server"
                        + " listens", LIMIT, () -> ChatServer.bind(InetAddress.getLoopbackAddress(), other.port(), 5, IDLE));
                Student.run("closing the server", LIMIT, server::close);
                fail("ChatServer.bind on 127.0.0.1:%d, where another server listens, returned a server: let the"
                        + " BindException through %s", other.port(), NOTES);
            } catch (BindException expected) {
                // "Address already in use"
            }
        }

        @Test
        @DisplayName("rejects a port, backlog or idle timeout that makes no sense")
        void rejectsNonsense() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Problems problems = new Problems();
            problems.expectIllegalArgument("bind(127.0.0.1, -1, 5, 10 s)", LIMIT, () -> ChatServer.bind(loopback, -1, 5, IDLE));
            problems.expectIllegalArgument("bind(127.0.0.1, 65536, 5, 10 s)", LIMIT,
                    () -> ChatServer.bind(loopback, 65536, 5, IDLE));
            problems.expectIllegalArgument("bind(127.0.0.1, 0, 0, 10 s)", LIMIT, () -> ChatServer.bind(loopback, 0, 0, IDLE));
            problems.expectIllegalArgument("bind(127.0.0.1, 0, 5, 0 s)", LIMIT,
                    () -> ChatServer.bind(loopback, 0, 5, Duration.ZERO));
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
                s.assertAcceptedSocketClosedWhenLeft(NOTES);
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
                s.assertAcceptedSocketClosedWhenLeft(NOTES);
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
                assertThat(end).as("a client silent for longer than the idle timeout (300 ms) is dropped: set the"
                        + " accepted socket's read timeout (setSoTimeout) %s", NOTES).isEqualTo(Outcome.EOF);
                assertThat(elapsed).as("the silent client was dropped %d ms after it began to connect, before the idle"
                        + " timeout of 300 ms: the read timeout is the idle timeout given to bind() %s", elapsed, NOTES)
                        .isGreaterThanOrEqualTo(250L);
                exchange(s, clients.connect(s.port), "my turn", NOTES);
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
            int backlog = 2;
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
                assertThat(waiting).as("while your server talks to one client, the kernel completes at most backlog + 1"
                        + " = %d more connects (Linux), the next times out; with bind(..., backlog %d, ...) pass the"
                        + " backlog to the ServerSocket %s", backlog + 1, backlog, NOTES)
                        .containsExactly(Outcome.OPEN, Outcome.OPEN, Outcome.OPEN, Outcome.TIMED_OUT);
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
        }
    }
}
