package org.tcpworkbook.lab5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
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
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceClients;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;

@DisplayName("Lab 5: closing connections")
@ExtendWith(Peers.class)
class Lab5Test {
    static final Duration LIMIT = StudentServer.LIMIT;
    /** How long a reference peer waits for an answer, an event, or the end of its connection. */
    static final Duration WAIT = StudentServer.PROMPT;
    static final Duration GRACE = StudentServer.GRACE;
    /** How long a connect may take to show that nobody listens there. */
    static final Duration PROBE = Duration.ofMillis(500);

    /** One exchange: the client sends, and must get the server's answer. */
    static void exchange(StudentServer s, ReferenceClient client, String message, String notes) throws Exception {
        client.send(message);
        String answer;
        try {
            answer = client.readLine(WAIT);
        } catch (AssertionFailedError e) {
            throw s.noAnswer(message, e, notes);
        }
        assertThat(answer).as("your server's answer to \"%s\" (the checker's replier answers \"你说: \" + the"
                + " message; lines in UTF-8, each ending with \\n) %s", message, notes)
                .isEqualTo(StudentServer.answer(message));
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** "127.0.0.1:40000", as clients() should list the reference client. */
    static String shown(ReferenceClient client) {
        return StudentServer.show(StudentServer.addressOf(client));
    }

    /** The server's accepted socket for this client must be closed: not left in CLOSE_WAIT. */
    static void assertAcceptedSocketClosed(StudentServer s, ReferenceClient client, String who, String notes) {
        if (!TcpStates.readable()) {
            return;
        }
        assertThat(TcpStates.count(TcpStates.CLOSE_WAIT, s.port, client.localPort()))
                .as("connections of your server in CLOSE_WAIT with %s after your server reported it gone"
                        + " (events.left): the kernel says the client closed its side, but your server's accepted"
                        + " socket is still open. When readLine() returns null, close that client's socket"
                        + " (try-with-resources), then remove it and tell events.left %s", who, notes)
                .isZero();
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: ClosingServer.bind")
    class Task1 {
        static final String NOTES = Notes.see("lab5", "task-bind");

        @Test
        @DisplayName("listens on a port the OS chose when asked for port 0")
        void bindsAnEphemeralPort() throws Exception {
            int[] range = Loopback.ephemeralRange();
            try (StudentServer s = StudentServer.start()) {
                assertThat(s.port).as("port() of a server bound to port 0 %s", NOTES).isBetween(range[0], range[1]);
                assertThat(ReferenceClient.probe(loopback(s.port), WAIT))
                        .as("a connect to 127.0.0.1:%d, where your server listens %s", s.port, NOTES)
                        .isEqualTo(Outcome.OPEN);
            }
        }

        @Test
        @DisplayName("listens only on the address asked for, not on every interface")
        void bindsOnlyTheGivenAddress() throws Exception {
            try (StudentServer s = StudentServer.start()) {
                List<String> accepted = Loopback.otherAddressesAccepting(s.port, PROBE);
                assertThat(accepted).as("connects to other loopback addresses at your server's port, while it was"
                        + " bound to 127.0.0.1: a server binds explicitly the address it was given; yours"
                        + " accepted these, so it listens on every interface: bind to new InetSocketAddress(address,"
                        + " port) %s", NOTES).isEmpty();
            }
        }

        @Test
        @DisplayName("reports a port that is taken as BindException")
        void reportsAPortInUse(ReferenceServer other) throws Exception {
            try {
                ClosingServer server = Student.call("binding 127.0.0.1:" + other.port() + ", where a reference server"
                        + " listens", LIMIT, () -> ClosingServer.bind(InetAddress.getLoopbackAddress(), other.port(), 50));
                Student.run("closing the server", LIMIT, server::close);
                fail("ClosingServer.bind on 127.0.0.1:%d, where another server listens, returned a server: let the"
                        + " BindException through %s", other.port(), NOTES);
            } catch (BindException expected) {
                // "Address already in use"
            }
        }

        @Test
        @DisplayName("rejects a port or backlog that makes no sense")
        void rejectsNonsense() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Problems problems = new Problems();
            problems.expectIllegalArgument("bind(127.0.0.1, -1, 50)", LIMIT, () -> ClosingServer.bind(loopback, -1, 50));
            problems.expectIllegalArgument("bind(127.0.0.1, 65536, 50)", LIMIT,
                    () -> ClosingServer.bind(loopback, 65536, 50));
            problems.expectIllegalArgument("bind(127.0.0.1, 0, 0)", LIMIT, () -> ClosingServer.bind(loopback, 0, 0));
            problems.assertNone(NOTES);
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: ClosingServer.serve, one thread per client")
    class Task2 {
        static final String NOTES = Notes.see("lab5", "task-serve");

        @Test
        @DisplayName("talks to a second client while the first one stays connected")
        void servesTwoClientsAtOnce(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient first = clients.connect(s.port);
                exchange(s, first, "我是第一个", NOTES);
                ReferenceClient second = clients.connect(s.port);
                exchange(s, second, "and I am the second, while the first is still connected", NOTES);
                exchange(s, first, "still me", NOTES);
            }
        }

        @Test
        @DisplayName("reports each client as accept() returns its new socket, and lists both in clients()")
        void listsTheClients(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient first = clients.connect(s.port);
                ReferenceClient second = clients.connect(s.port);
                s.awaitConnected(first, "client 1");
                s.awaitConnected(second, "client 2");
                assertThat(s.clients()).as("clients() with two clients connected, from ports %d and %d: the address"
                        + " and port of each, as accept()'s new socket gives them (getRemoteSocketAddress()) %s",
                        first.localPort(), second.localPort(), NOTES)
                        .containsExactlyInAnyOrder(shown(first), shown(second));
            }
        }

        @Test
        @DisplayName("reassembles a message that arrives one byte at a time, in UTF-8")
        void reassemblesFragments(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient client = clients.connect(s.port, Policy.fragment(1));
                exchange(s, client, "一个字节一个字节地", NOTES + " One read() is not one message: read whole lines"
                        + " with a BufferedReader over an InputStreamReader in UTF-8.");
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: when a client closes or resets")
    class Task3 {
        static final String NOTES = Notes.see("lab5", "task-peer-close");

        @Test
        @DisplayName("ends the session of a client that closes, closes its socket, forgets it; the other chats on")
        void endsTheSessionOfAClientThatCloses(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient leaving = clients.connect(s.port);
                ReferenceClient staying = clients.connect(s.port);
                exchange(s, leaving, "bye soon", NOTES);
                exchange(s, staying, "I stay", NOTES);
                leaving.close();
                s.awaitLeft(leaving, "client 1, which closed its connection", "The client closed (FIN): your"
                        + " server's readLine() returns null. That session is over: close its socket, remove the"
                        + " client, call events.left(client, why) " + NOTES);
                assertThat(s.asked()).as("what your server asked the replier to answer: null, after client 1 closed."
                        + " readLine() returns null when the client has closed (read() returned -1): that session"
                        + " is over, it is never a message to answer %s", NOTES).doesNotContainNull();
                assertAcceptedSocketClosed(s, leaving, "client 1", NOTES);
                assertThat(s.clients()).as("clients() after client 1 (127.0.0.1:%d) closed and your server reported"
                        + " it gone: remove a client when its session ends, before events.left %s",
                        leaving.localPort(), NOTES).doesNotContain(shown(leaving)).contains(shown(staying));
                exchange(s, staying, "还在 still here", NOTES);
            }
        }

        @Test
        @DisplayName("survives a client that resets; the other clients do not notice")
        void survivesAReset(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient rude = clients.connect(s.port);
                ReferenceClient polite = clients.connect(s.port);
                exchange(s, rude, "hello", NOTES);
                exchange(s, polite, "hello too", NOTES);
                rude.reset();
                String hint = "After a reset, that client's readLine() throws SocketException \"Connection reset\":"
                        + " its session is over, and only its session. Catch the IOException in the session, close"
                        + " its socket, remove the client, tell events.left; the other sessions and the accept loop"
                        + " go on " + NOTES;
                s.awaitLeft(rude, "client 1, which reset its connection", hint);
                exchange(s, polite, "did you notice anything?", hint);
                exchange(s, clients.connect(s.port), "a newcomer after the reset", hint);
                assertThat(s.isServing()).as("serve() is still running after a client reset.%s %s", s.endedEarly(),
                        hint).isTrue();
                assertThat(s.clients()).as("clients() after client 1 reset: %s", hint).doesNotContain(shown(rude));
            }
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: ClosingServer.kick")
    class Task4 {
        static final String NOTES = Notes.see("lab5", "task-kick");

        @Test
        @DisplayName("closes that one client's socket: it reads -1, the others and the listener are untouched")
        void kicksOneClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient kicked = clients.connect(s.port);
                ReferenceClient other = clients.connect(s.port);
                exchange(s, kicked, "please do not kick me", NOTES);
                exchange(s, other, "hi", NOTES);
                InetSocketAddress target = StudentServer.addressOf(kicked);
                Student.run("calling kick(127.0.0.1:" + kicked.localPort() + ")", LIMIT, () -> s.server.kick(target));
                assertThat(kicked.awaitEnd(WAIT)).as("how client 1's connection ended within %d ms of kick(127.0.0.1:%d):"
                        + " kick must close the socket accept() gave for that client, and the client then reads -1"
                        + " (EOF) %s", WAIT.toMillis(), kicked.localPort(), NOTES).isEqualTo(Outcome.EOF);
                s.awaitLeft(kicked, "client 1, which was kicked", "Closing a socket makes the read blocked on it"
                        + " throw SocketException at once: the kicked client's session ends like any other " + NOTES);
                assertThat(s.clients()).as("clients() after kick(127.0.0.1:%d) %s", kicked.localPort(), NOTES)
                        .doesNotContain(shown(kicked)).contains(shown(other));
                exchange(s, other, "是我, still connected after the kick", NOTES + " kick closes one client's socket"
                        + " only: the other sessions go on");
                ReferenceClient newcomer;
                try {
                    newcomer = clients.connect(s.port);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " After kick(...), a new client could not connect:"
                            + " kick must close only that client's accepted socket, never the listening socket " + NOTES, e);
                }
                exchange(s, newcomer, "a newcomer after the kick", NOTES);
            }
        }

        @Test
        @DisplayName("does nothing for a client that is not connected")
        void ignoresAStranger(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient client = clients.connect(s.port);
                exchange(s, client, "hello", NOTES);
                InetSocketAddress stranger = Loopback.closedPort();
                Student.run("calling kick(" + StudentServer.show(stranger) + "), a client that never connected", LIMIT,
                        () -> s.server.kick(stranger));
                exchange(s, client, "still here?", NOTES + " kick(a client that is not connected) changes nothing");
            }
        }
    }

    @Nested
    @Tag("task-5")
    @DisplayName("Task 5: ClosingServer.stopAccepting")
    class Task5 {
        static final String NOTES = Notes.see("lab5", "task-stop-accepting");

        @Test
        @DisplayName("closes the listener: serve() returns and new connects are refused")
        void stopsAccepting() throws Exception {
            try (StudentServer s = StudentServer.start()) {
                s.stopAccepting();
                s.awaitServeReturned("stopAccepting()", NOTES);
                assertThat(ReferenceClient.probe(loopback(s.port), WAIT))
                        .as("a connect to 127.0.0.1:%d after stopAccepting(): the listening socket is closed %s", s.port,
                                NOTES).isEqualTo(Outcome.REFUSED);
            }
        }

        @Test
        @DisplayName("leaves the connected clients chatting")
        void keepsTheClients(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient first = clients.connect(s.port);
                ReferenceClient second = clients.connect(s.port);
                exchange(s, first, "before", NOTES);
                exchange(s, second, "before", NOTES);
                s.stopAccepting();
                s.awaitServeReturned("stopAccepting()", NOTES);
                String hint = "The reference clients were connected and chatting, and the checker called stopAccepting():"
                        + " closing the listening socket must not close the connected clients. Accepted sockets are"
                        + " independent of the listener; stopAccepting() closes the listener and nothing else " + NOTES;
                for (ReferenceClient client : List.of(first, second)) {
                    try {
                        exchange(s, client, "after stopAccepting, 还能聊吗?", hint);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(e.getMessage()
                                + (e.getMessage().contains("must not close") ? "" : " " + hint), e);
                    }
                }
                assertThat(s.clients()).as("clients() after stopAccepting(): %s", hint)
                        .containsExactlyInAnyOrder(shown(first), shown(second));
            }
        }
    }

    @Nested
    @Tag("task-6")
    @DisplayName("Task 6: ClosingServer.shutdown, gracefully")
    class Task6 {
        static final String NOTES = Notes.see("lab5", "task-shutdown");
        /** shutdown with quiet clients must return this fast, whatever its grace. */
        static final Duration PROMPTLY = WAIT;

        @Test
        @DisplayName("says goodbye to every client, closes each connection, and returns once the sessions ended")
        void shutsDownGracefully(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient first = clients.connect(s.port);
                ReferenceClient second = clients.connect(s.port);
                exchange(s, first, "一", NOTES);
                exchange(s, second, "二", NOTES);
                s.watchForLateSessions();
                try {
                    s.shutdown(GRACE, PROMPTLY);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " With every client quiet, shutdown() has nothing to"
                            + " wait for once it has closed their sockets: say goodbye, close each socket (a session"
                            + " blocked in readLine() then ends at once), and only then join the session threads,"
                            + " each bounded by what is left of the grace " + NOTES, e);
                }
                int n = 0;
                for (ReferenceClient client : List.of(first, second)) {
                    n++;
                    String line;
                    try {
                        line = client.readLine(WAIT);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(e.getMessage() + " After shutdown(), client " + n + " expected the"
                                + " goodbye line \"" + ClosingServer.GOODBYE + "\" and then the end of the stream:"
                                + " send GOODBYE (with \\n, flushed) to every client before closing its socket " + NOTES, e);
                    }
                    assertThat(line).as("the line client %d read after shutdown() %s", n, NOTES)
                            .isEqualTo(ClosingServer.GOODBYE);
                    assertThat(client.awaitEnd(WAIT)).as("how client %d's connection ended within %d ms after the"
                            + " goodbye: shutdown() closes each client's socket, and the client reads -1 %s", n,
                            WAIT.toMillis(), NOTES).isEqualTo(Outcome.EOF);
                }
                s.awaitServeReturned("shutdown()", NOTES);
                s.awaitLeft(first, "client 1, whose socket shutdown() closed", "Each session ends when shutdown()"
                        + " closes its socket, and tells events.left " + NOTES);
                s.awaitLeft(second, "client 2, whose socket shutdown() closed", "Each session ends when shutdown()"
                        + " closes its socket, and tells events.left " + NOTES);
                assertThat(s.lateSessions()).as("clients whose session thread was still running (in events.left,"
                        + " which the checker makes take %d ms) when shutdown() returned: after closing the sockets,"
                        + " join each session thread, bounded by what is left of the grace, so that when shutdown()"
                        + " returns every session has ended %s", StudentServer.LATE_WINDOW.toMillis(), NOTES).isEmpty();
                assertThat(s.clients()).as("clients() after shutdown() returned %s", NOTES).isEmpty();
                List<String> running = new ArrayList<>();
                for (Thread t : s.sessionThreads()) {
                    if (t.isAlive()) {
                        running.add(t.getName());
                    }
                }
                assertThat(running).as("session threads still alive when shutdown() returned: join each session"
                        + " thread (bounded by the grace) before returning, so that the caller knows every session"
                        + " has ended %s", NOTES).isEmpty();
            }
        }

        @Test
        @DisplayName("of a server without clients: returns at once, serve() returns, the port is closed")
        void shutsDownAnIdleServer() throws Exception {
            try (StudentServer s = StudentServer.start()) {
                s.shutdown(GRACE, PROMPTLY);
                s.awaitServeReturned("shutdown()", NOTES);
                assertThat(ReferenceClient.probe(loopback(s.port), WAIT))
                        .as("a connect to 127.0.0.1:%d after shutdown(): the listening socket is closed %s", s.port,
                                NOTES).isEqualTo(Outcome.REFUSED);
            }
        }
    }

    @Nested
    @Tag("task-7")
    @DisplayName("Task 7: restart on the same port at once")
    class Task7 {
        static final String NOTES = Notes.see("lab5", "task-restart");

        @Test
        @DisplayName("binds the port again at once while the old server's connection is in TIME_WAIT")
        void restartsAtOnce(ReferenceClients clients) throws Exception {
            int port;
            ReferenceClient client;
            try (StudentServer s = StudentServer.start()) {
                port = s.port;
                client = clients.connect(port);
                exchange(s, client, "before the restart", NOTES);
                s.shutdown(GRACE, LIMIT);                    // the server closes first: active close
                s.awaitServeReturned("shutdown()", NOTES);
            }
            assertThat(client.readLine(WAIT)).as("the goodbye line %s", NOTES).isEqualTo(ClosingServer.GOODBYE);
            assertThat(client.awaitEnd(WAIT)).as("the end of the connection after shutdown() %s", NOTES)
                    .isEqualTo(Outcome.EOF);
            client.close();                                  // then the client: the server's side goes to TIME_WAIT
            String state = !TcpStates.readable() ? ""
                    : " (the kernel shows " + TcpStates.count(TcpStates.TIME_WAIT, port, client.localPort())
                    + " connection of port " + port + " in TIME_WAIT)";
            StudentServer again;
            try {
                again = StudentServer.start(port);
            } catch (BindException e) {
                throw new AssertionFailedError("Binding 127.0.0.1:" + port + " again, at once after your server shut"
                        + " down, threw " + e + state + ". Your server closed the connection first, so its side of"
                        + " that connection stays in TIME_WAIT for a minute; a listener can bind the port anyway only"
                        + " with SO_REUSEADDR on. Keep it on: setReuseAddress(true) before bind (it is the default"
                        + " on Linux), never setReuseAddress(false) " + NOTES, e);
            }
            try (StudentServer s = again) {
                exchange(s, clients.connect(port), "after the restart", NOTES);
            }
        }
    }

    @Nested
    @Tag("task-8")
    @DisplayName("Task 8: Requests.ask, half-close for request and response")
    class Task8 {
        static final String NOTES = Notes.see("lab5", "task-half-close");
        static final Duration TIMEOUT = Duration.ofSeconds(2);

        /** Calls ask(); turns what goes wrong with the end of the request into a message. */
        static String ask(ReferenceServer server, String request, Duration timeout) throws Exception {
            String call = "Requests.ask(" + StudentServer.show(server.address()) + ", " + request.lines().count()
                    + " lines, " + timeout.toMillis() + " ms)";
            String waits = " The reference server answers only once it has read the end of your request (-1),"
                    + " like any server whose request has no length and no end marker.";
            try {
                return Student.call("calling " + call, LIMIT.plus(timeout), () -> Requests.ask(server.address(),
                        request, timeout));
            } catch (SocketTimeoutException e) {
                throw new AssertionFailedError(call + " threw " + e + "." + waits + " It was still waiting for that end"
                        + " while your code waited for the response: after sending the request, call"
                        + " socket.shutdownOutput() (FIN: \"I am done sending, now answer\") " + NOTES, e);
            } catch (SocketException e) {
                throw new AssertionFailedError(call + " threw " + e + "." + waits + " Closing the socket, or its"
                        + " output stream (which closes the socket too), ends both directions: the response can no"
                        + " longer be read. shutdownOutput() ends only your sending half " + NOTES, e);
            } catch (AssertionFailedError e) {
                if (e.getMessage() != null && e.getMessage().startsWith("Your code was still")) {
                    throw new AssertionFailedError(e.getMessage() + waits + " Your code waited for the response,"
                            + " the server for the end of the request: after sending, call socket.shutdownOutput() "
                            + NOTES, e);
                }
                throw e;
            }
        }

        @Test
        @DisplayName("sends the whole request, shuts down its output, and returns the whole response")
        void asksAndReadsTheResponse(ReferenceServer server) throws Exception {
            server.replyAtEnd().replyWith("收到你的请求", "second line of the response", "完");
            String request = "请求 line one\nline two\n第三行\n";
            String response = ask(server, request, TIMEOUT);
            assertThat(response).as("what Requests.ask returned: everything the server sent, up to the end of the"
                    + " stream, decoded as UTF-8 %s", NOTES).isEqualTo("收到你的请求\nsecond line of the response\n完\n");
            for (String line : request.split("\n")) {
                assertThat(server.takeReceived(WAIT)).as("the request as the reference server read it, line by line,"
                        + " in UTF-8 %s", NOTES).isEqualTo(line);
            }
        }

        @Test
        @DisplayName("reads a response that arrives in pieces, until the end of the stream")
        void readsUntilTheEnd(ReferenceServer server) throws Exception {
            server.use(Policy.fragment(3)).replyAtEnd().replyWith("一段一段地到达的回答", "and a second line");
            String response = ask(server, "send it slowly\n", TIMEOUT);
            assertThat(response).as("what Requests.ask returned, when the response came 3 bytes per write: one"
                    + " read() is not the whole response; read until -1 (readAllBytes()) %s", NOTES)
                    .isEqualTo("一段一段地到达的回答\nand a second line\n");
        }

        @Test
        @DisplayName("gives up with SocketTimeoutException when no response comes")
        void timesOut(ReferenceServer server) throws Exception {
            server.use(Policy.STALL);
            Duration timeout = Duration.ofMillis(300);
            try {
                String response = Student.call("calling Requests.ask on a server that never answers, timeout 300 ms",
                        LIMIT, () -> Requests.ask(server.address(), "anybody there?\n", timeout));
                fail("Requests.ask returned \"%s\" from a server that never answers nor closes: it must throw"
                        + " SocketTimeoutException once a read has waited for the timeout %s", response, NOTES);
            } catch (SocketTimeoutException expected) {
                // "Read timed out"
            } catch (AssertionFailedError e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("Your code was still")) {
                    throw e;
                }
                throw new AssertionFailedError(e.getMessage() + " The timeout bounds each read too:"
                        + " socket.setSoTimeout(timeout) after connecting " + NOTES, e);
            }
        }
    }
}
