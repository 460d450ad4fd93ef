package org.tcpworkbook.lab4;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Outcome;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Policy;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceClients;
import org.tcpworkbook.kit.Student;

@DisplayName("Lab 4: many clients at once")
@ExtendWith(Peers.class)
class Lab4Test {
    static final Duration LIMIT = StudentServer.LIMIT;
    /** How long a reference client waits for an answer, or for the end of its connection. */
    static final Duration WAIT = StudentServer.PROMPT;
    static final Duration IDLE = Duration.ofSeconds(10);

    /**
     * The next line {@code client} reads; when none comes, fails with {@code why} (may be empty), what
     * the client saw, and how serve() ended if it has.
     */
    static String read(StudentServer s, ReferenceClient client, String why, String notes) throws Exception {
        if (!s.isServing()) {
            throw new AssertionFailedError((why.isEmpty() ? "" : why + " ") + s.endedEarly().strip()
                    + (s.endedEarly().contains("lab4.html#") ? "" : " " + notes));
        }
        try {
            return client.readLine(WAIT);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError((why.isEmpty() ? "" : why + " ") + e.getMessage() + s.endedEarly() + " "
                    + notes, e);
        }
    }

    /** The client sends {@code message} and must get its own answer. */
    static void exchange(StudentServer s, ReferenceClient client, String who, String message, String notes)
            throws Exception {
        client.send(message);
        String answer = read(s, client, "", notes);
        assertThat(answer).as("the answer %s got to \"%s\" (the checker's replier answers \"你说: \" + the message)%s %s",
                who, message, crossed(message, answer), notes).isEqualTo(StudentServer.answer(message));
    }

    /** Why a client gets the answer to another client's message. */
    static final String CROSSED = ": that is the answer to another client's message, so the conversations are crossed."
            + " Each conversation needs its own socket, reader and writer, in local variables or fields of its own,"
            + " never in a field of the server shared by every thread";

    /** {@link #CROSSED} when {@code answer} is an answer, but not the one to {@code message}; else "". */
    static String crossed(String message, String answer) {
        boolean another = answer != null && answer.startsWith("你说: ") && !answer.equals(StudentServer.answer(message));
        return another ? CROSSED : "";
    }

    static List<Integer> ports(List<ReferenceClient> clients) {
        return clients.stream().map(ReferenceClient::localPort).collect(Collectors.toList());
    }

    static List<ReferenceClient> connect(ReferenceClients clients, StudentServer s, int n) throws Exception {
        List<ReferenceClient> connected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connected.add(clients.connect(s.port));
        }
        return connected;
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: a thread per client")
    class Task1 {
        static final String NOTES = Notes.see("lab4", "task-threads");

        @Test
        @DisplayName("serves client B while client A is connected and silent")
        void servesBWhileAIsSilent(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "client A", "I am A", NOTES);
                ReferenceClient b = clients.connect(s.port);
                String message = "I am B: is anyone there?";
                b.send(message);
                String answer = read(s, b, "Client B was starved: it connected while client A was connected"
                        + " and silent, sent a message, and got no answer. A server that converses with a client on"
                        + " the thread that accepts cannot accept() B until A leaves: start each client's"
                        + " conversation on a new thread, and call accept() again at once.", NOTES);
                assertThat(answer).as("the answer client B got%s %s", crossed(message, answer), NOTES)
                        .isEqualTo(StudentServer.answer(message));
                exchange(s, a, "client A", "A again", NOTES);
            }
        }

        @Test
        @DisplayName("gives 50 clients at once each its own answers, none crossed")
        void fiftyClientsAtOnce(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                List<ReferenceClient> all = connect(clients, s, 50);
                for (int round = 1; round <= 2; round++) {
                    List<String> sent = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        sent.add("client " + (i + 1) + ", message " + round + ": 你好");
                        all.get(i).send(sent.get(i));
                    }
                    if (!s.isServing()) {
                        read(s, all.get(0), "", NOTES); // fails at once, saying how serve() ended
                    }
                    List<String> wrong = new ArrayList<>();
                    List<Integer> unanswered = new ArrayList<>();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    for (int i = 0; i < all.size(); i++) {
                        Duration left = Duration.ofNanos(Math.max(20_000_000L, deadline - System.nanoTime()));
                        try {
                            String answer = all.get(i).readLine(left);
                            if (!answer.equals(StudentServer.answer(sent.get(i)))) {
                                wrong.add("client " + (i + 1) + " got \"" + answer + "\"");
                            }
                        } catch (AssertionFailedError e) {
                            unanswered.add(i + 1);
                        }
                    }
                    if (!wrong.isEmpty()) {
                        throw new AssertionFailedError("With 50 clients connected at once, each having sent one"
                                + " message (\"client N, message " + round + ": 你好\"), " + wrong.size() + " got an"
                                + " answer that was not theirs, e.g. " + String.join("; ", wrong.subList(0, Math.min(3,
                                wrong.size()))) + CROSSED + ". " + NOTES);
                    }
                    if (!unanswered.isEmpty()) {
                        throw new AssertionFailedError("With 50 clients connected at once, each having sent one"
                                + " message, " + unanswered.size() + " got no answer within " + WAIT.toSeconds()
                                + " s: clients " + unanswered.subList(0, Math.min(10, unanswered.size())) + "."
                                + s.endedEarly() + " Every client needs a conversation of its own, on its own thread,"
                                + " while the accepting thread goes on accepting " + NOTES);
                    }
                }
            }
        }

        @Test
        @DisplayName("ends a client's thread when the client leaves: the thread count returns to its baseline")
        void threadsEndWhenClientsLeave(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                List<ReferenceClient> all = connect(clients, s, 20);
                for (ReferenceClient client : all) {
                    exchange(s, client, "client " + client.localPort(), "hello", NOTES);
                }
                for (ReferenceClient client : all) {
                    client.close();
                }
                s.awaitEvents("left", ports(all), "When a client closes, its conversation's readLine() returns null:"
                        + " close the socket, tell events.left(...), and end the thread " + NOTES);
                List<String> running = s.threads.stillRunningAfter(WAIT);
                assertThat(running).as("threads your server started that were still running %d s after all 20"
                        + " clients had left (the thread count must return to what it was before they came): the"
                        + " thread of a conversation ends when its client leaves, by returning from run(). (With 0"
                        + " workers, start a new Thread per client: a cached pool would keep idle threads for"
                        + " 60 s.) %s", WAIT.toSeconds(), NOTES).isEmpty();
            }
        }

        @Test
        @DisplayName("survives a client that resets, and goes on serving the others")
        void survivesAReset(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient rude = clients.connect(s.port);
                ReferenceClient polite = clients.connect(s.port);
                exchange(s, rude, "the client that resets", "hello", NOTES);
                exchange(s, polite, "the other client", "hello", NOTES);
                rude.reset();
                s.awaitEvents("left", List.of(rude.localPort()), "After a reset, that conversation's read() throws"
                        + " SocketException \"Connection reset\": end that conversation only " + NOTES);
                exchange(s, polite, "the other client", "still there?", NOTES);
                exchange(s, clients.connect(s.port), "a new client", "and me?", NOTES);
            }
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: a pool of workers")
    class Task2 {
        static final String NOTES = Notes.see("lab4", "task-pool");

        @Test
        @DisplayName("rejects a negative number of workers")
        void rejectsNegativeWorkers() throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Problems problems = new Problems();
                problems.expectIllegalArgument("new ChatServer(listener, -1, 10 s)", LIMIT,
                        () -> new ChatServer(listener, -1, IDLE));
                problems.expectIllegalArgument("new ChatServer(listener, 2, 0 s)", LIMIT,
                        () -> new ChatServer(listener, 2, Duration.ZERO));
                problems.assertNone(NOTES);
            }
        }

        @Test
        @DisplayName("tells a client that comes while every worker is busy so, and closes it")
        void turnsAwayWhenBusy(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(2, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                ReferenceClient b = clients.connect(s.port);
                exchange(s, a, "client A", "I am A", NOTES);
                exchange(s, b, "client B", "I am B", NOTES);
                ReferenceClient c = clients.connect(s.port);
                String line = read(s, c, "Client C connected while both workers were busy with clients A and"
                        + " B, and was told nothing. The policy of this server: a client that finds every worker busy"
                        + " gets the line ChatProtocol.BUSY and is closed at once, never kept waiting in silence (the"
                        + " queue of Executors.newFixedThreadPool has no limit: C would wait there until A or B"
                        + " leaves). Count the free workers (a Semaphore: tryAcquire before handing a client over,"
                        + " release when its conversation ends).", NOTES);
                assertThat(line).as("the line client C got while both workers were busy %s", NOTES)
                        .isEqualTo(ChatProtocol.BUSY);
                assertThat(c.awaitEnd(WAIT)).as("the end of client C's connection after the busy line: close its"
                        + " socket at once %s", NOTES).isEqualTo(Outcome.EOF);
                s.awaitEvents("turned away", List.of(c.localPort()), "Tell events.turnedAway(...) " + NOTES);
                exchange(s, a, "client A", "A is still served", NOTES);
                exchange(s, b, "client B", "B is still served", NOTES);
            }
        }

        @Test
        @DisplayName("serves the next client with the worker a leaving client freed, on at most 2 threads")
        void reusesAFreedWorker(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(2, IDLE)) {
                ReferenceClient b = clients.connect(s.port);
                exchange(s, b, "client B", "I stay", NOTES);
                for (int i = 1; i <= 5; i++) {
                    ReferenceClient next = clients.connect(s.port);
                    String line = "client " + i + " of 5, one after another, beside client B";
                    next.send(line);
                    String answer = read(s, next, "Client " + i + " of 5 came after the one before it had left"
                            + " (your server reported it gone), so one of the 2 workers was free, but it got no"
                            + " answer. When a conversation ends, free its worker before telling events.left(...).", NOTES);
                    assertThat(answer).as("the answer client %d of 5 got, with one worker free (the other serving"
                            + " client B): a client that has left frees its worker for the next (give back the"
                            + " Semaphore's permit when a conversation ends, whatever ended it) %s", i, NOTES)
                            .isEqualTo(StudentServer.answer(line));
                    next.close();
                    s.awaitEvents("left", List.of(next.localPort()), "Tell events.left(...) when a client leaves " + NOTES);
                }
                List<Thread> started = s.threads.started();
                assertThat(started).as("the threads your server runs with 2 workers, after 6 clients: %s. A pool of 2"
                        + " workers is 2 threads, reused client after client (Executors.newFixedThreadPool(workers)) %s",
                        started.stream().map(Thread::getName).collect(Collectors.toList()), NOTES).hasSizeLessThanOrEqualTo(2);
            }
        }

        @Test
        @DisplayName("frees the worker of a client that stays silent past the idle timeout")
        void dropsASilentClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(1, Duration.ofMillis(300))) {
                ReferenceClient silent = clients.connect(s.port);
                s.awaitEvents("left", List.of(silent.localPort()), "A client silent for the idle timeout (300 ms"
                        + " here) is dropped: setSoTimeout on the accepted socket, and end the conversation on"
                        + " SocketTimeoutException, which frees its worker " + NOTES);
                assertThat(silent.awaitEnd(WAIT)).as("the end of the silent client's connection %s", NOTES)
                        .isEqualTo(Outcome.EOF);
                exchange(s, clients.connect(s.port), "the next client, on the freed worker", "my turn", NOTES);
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: shared state")
    class Task3 {
        static final String NOTES = Notes.see("lab4", "task-shared");

        @Test
        @DisplayName("knows who is online, with 20 clients coming and going at once")
        void knowsWhoIsOnline(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                List<ReferenceClient> all = connect(clients, s, 20);
                for (ReferenceClient client : all) {
                    client.send("hello");
                }
                for (ReferenceClient client : all) {
                    assertThat(read(s, client, "", NOTES)).as("the answer to \"hello\" %s", NOTES)
                            .isEqualTo(StudentServer.answer("hello"));
                }
                assertOnline(s, all, "20 clients connected, each answered once");
                List<ReferenceClient> leaving = all.subList(0, 10);
                for (ReferenceClient client : leaving) {
                    client.close();
                }
                s.awaitEvents("left", ports(leaving), NOTES);
                assertOnline(s, all.subList(10, 20), "10 of the 20 clients left (your server reported each gone)");
                for (ReferenceClient client : all.subList(10, 20)) {
                    client.close();
                }
                s.awaitEvents("left", ports(all.subList(10, 20)), NOTES);
                assertOnline(s, List.of(), "all 20 clients left (your server reported each gone)");
            }
        }

        private void assertOnline(StudentServer s, List<ReferenceClient> expected, String when) throws Exception {
            List<InetSocketAddress> online = Student.call("calling online()", LIMIT, s.server::online);
            List<String> got = online.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                    .sorted().collect(Collectors.toList());
            List<String> want = expected.stream().map(c -> "127.0.0.1:" + c.localPort()).sorted()
                    .collect(Collectors.toList());
            assertThat(got).as("online() after %s: every conversation's thread adds its client when it starts and"
                    + " removes it before telling events.left(...), all at the same time as the others, so the list"
                    + " must be one that many threads may change at once (a CopyOnWriteArrayList, or every use"
                    + " synchronized) %s", when, NOTES).containsExactlyElementsOf(want);
        }

        @Test
        @DisplayName("counts every message answered, with 20 clients sending 50 each at once")
        void countsEveryMessage(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                List<String> lines = new ArrayList<>();
                for (int m = 1; m <= 50; m++) {
                    lines.add("message " + m);
                }
                for (int wave = 1; wave <= 2; wave++) { // the second wave comes while the first is still connected
                    List<ReferenceClient> all = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        all.add(clients.connect(s.port, Policy.COALESCE));
                    }
                    for (ReferenceClient client : all) {
                        client.send(lines.toArray(new String[0])); // all 50 in one write
                    }
                    for (ReferenceClient client : all) {
                        for (String line : lines) {
                            assertThat(read(s, client, "", NOTES)).as("an answer, in order, to 50 messages sent at"
                                    + " once %s", NOTES).isEqualTo(StudentServer.answer(line));
                        }
                    }
                }
                long counted = Student.call("calling messages()", LIMIT, s.server::messages);
                assertThat(counted).as("messages() after 20 clients (10, then 10 more) had each had 50 messages"
                        + " answered, at the same time: one counter for the whole server, shared by every"
                        + " conversation's thread, never reset; count++ on a shared long loses counts when threads"
                        + " race, an AtomicLong does not %s", NOTES).isEqualTo(1000);
            }
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: ChatServer.close, the stop")
    class Task4 {
        static final String NOTES = Notes.see("lab4", "task-stop");

        @Test
        @DisplayName("stops a thread-per-client server: new clients refused, silent clients ended, threads joined")
        void stopsThreadPerClient(ReferenceClients clients) throws Exception {
            stopWithClients(clients, 0);
        }

        @Test
        @DisplayName("stops a server with a pool: the same, and the pool's workers end too")
        void stopsAPool(ReferenceClients clients) throws Exception {
            stopWithClients(clients, 2);
        }

        private void stopWithClients(ReferenceClients clients, int workers) throws Exception {
            StudentServer s = StudentServer.start(workers, IDLE);
            List<ReferenceClient> connected = connect(clients, s, 2);
            for (ReferenceClient client : connected) {
                exchange(s, client, "client " + client.localPort(), "hello, then silence", NOTES);
            }
            s.stop();
            for (ReferenceClient client : connected) {
                assertThat(client.awaitEnd(WAIT)).as("the connection of a silent client when the server stopped:"
                        + " close() must close every client's socket %s", NOTES).isIn(Outcome.EOF, Outcome.RESET);
            }
            assertThat(ReferenceClient.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), WAIT))
                    .as("a connect after close(): the listener is closed %s", NOTES).isEqualTo(Outcome.REFUSED);
        }
    }
}
