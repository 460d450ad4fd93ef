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
import org.tcpworkbook.kit.LineChecks;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Outcome;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Policy;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceClients;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Transcript;

@DisplayName("Lab 4: many clients at once")
@ExtendWith(Peers.class)
class Lab4Test {
    static final Duration LIMIT = StudentServer.LIMIT;
    /** How long a reference client waits for an answer, or for the end of its connection. */
    static final Duration WAIT = StudentServer.PROMPT;
    static final Duration IDLE = Duration.ofSeconds(10);

    /**
     * Holds the server's threads that call one of the checker's hooks (events.turnedAway, events.left,
     * the replier) inside it, so that the check acts while they are there, not by luck: each calls
     * {@link #here()}, the check {@linkplain #awaitHeld() waits} until all are held and then
     * {@linkplain #release() releases} them. Both waits are bounded.
     */
    static final class Hold {
        private final java.util.concurrent.CountDownLatch inside;
        private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        private final Duration bound;

        /** @param threads how many threads the check waits for; @param bound how long each is held at most */
        Hold(int threads, Duration bound) {
            this.inside = new java.util.concurrent.CountDownLatch(threads);
            this.bound = bound;
        }

        /** Called by the server's thread from the hook: counts it in, then holds it until released (or the bound). */
        void here() throws InterruptedException {
            inside.countDown();
            release.await(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Whether all the threads were held within WAIT. */
        boolean awaitHeld() throws InterruptedException {
            return inside.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        void release() {
            release.countDown();
        }
    }

    /**
     * The next line {@code client} reads; when none comes, fails with {@code why} (may be empty), what
     * the client saw, and how serve() ended if it has.
     */
    static String read(StudentServer s, ReferenceClient client, String why, String notes) throws Exception {
        if (!s.isServing()) {
            throw new AssertionFailedError((why.isEmpty() ? "" : why + " ") + s.endedEarly().strip()
                    + (s.endedEarly().contains("lab4.html#") ? "" : " " + notes));
        }
        String line;
        try {
            line = client.readLine(WAIT);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError((why.isEmpty() ? "" : why + " ") + e.getMessage() + s.endedEarly() + " "
                    + notes, e);
        }
        return lineEnd(line, notes);
    }

    /** The line, when it ended with "\n" alone; fails, naming println, when it ended with "\r\n". */
    static String lineEnd(String line, String notes) {
        if (line.endsWith("\r")) {
            throw new AssertionFailedError("A line from your server ended with \"\\r\\n\", not \"\\n\": \""
                    + Transcript.escape(line) + "\\n\". The protocol ends every line with \\n alone. println on a"
                    + " socket's writer ends the line with the platform's line separator, which is \\r\\n on Windows"
                    + " (this checker runs with it, so that your server works the same everywhere): write"
                    + " answer + \"\\n\" instead " + notes);
        }
        return line;
    }

    /** The client sends {@code message} and must get its own answer. */
    static void exchange(StudentServer s, ReferenceClient client, String who, String message, String notes)
            throws Exception {
        client.send(message);
        String answer = read(s, client, "", notes);
        assertThat(answer).as("the answer %s got to \"%s\" (the checker's replier answers \"你说: \" + the message)%s %s",
                who, Transcript.escape(message), crossed(message, answer) + charset(StudentServer.answer(message), answer),
                notes).isEqualTo(StudentServer.answer(message));
    }

    /**
     * Why {@code got} differs from {@code expected} when a charset is to blame (Chinese turned into
     * "?" or into Latin-1 pairs); else "".
     */
    static String charset(String expected, String got) {
        if (got == null || got.equals(expected)) {
            return "";
        }
        boolean chinese = expected.codePoints().anyMatch(c -> c > 0x2E7F);
        if (chinese && got.contains("?") && !expected.contains("?")) {
            return ": its Chinese characters came out as \"?\", so your server encoded the answer with a charset that"
                    + " has no Chinese, the platform's default (ISO-8859-1 here, as on many machines). Name UTF-8 on"
                    + " the socket's writer: new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET)";
        }
        boolean latin = got.codePoints().anyMatch(c -> c >= 0x80 && c <= 0xFF || c == 0xFFFD)
                && expected.codePoints().noneMatch(c -> c >= 0x80 && c <= 0xFF);
        if (latin) {
            return ": the message's UTF-8 bytes were decoded with another charset, the platform's default (ISO-8859-1"
                    + " here), one character per byte. Name UTF-8 on the socket's reader: new InputStreamReader("
                    + "socket.getInputStream(), ChatProtocol.CHARSET), and on its writer too";
        }
        return "";
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
                    long deadline = System.nanoTime() + WAIT.toNanos() * 3; // 50 answers: room for a loaded machine
                    for (int i = 0; i < all.size(); i++) {
                        Duration left = Duration.ofNanos(Math.max(20_000_000L, deadline - System.nanoTime()));
                        String answer;
                        try {
                            answer = all.get(i).readLine(left);
                        } catch (AssertionFailedError e) {
                            unanswered.add(i + 1);
                            continue;
                        }
                        lineEnd(answer, NOTES);
                        String expected = StudentServer.answer(sent.get(i));
                        if (!charset(expected, answer).isEmpty()) {
                            throw new AssertionFailedError("Client " + (i + 1) + " of 50 got \""
                                    + Transcript.escape(answer) + "\" for \"" + expected + "\""
                                    + charset(expected, answer) + " " + NOTES);
                        }
                        if (!answer.equals(expected)) {
                            wrong.add("client " + (i + 1) + " got \"" + Transcript.escape(answer) + "\"");
                        }
                    }
                    if (wrong.isEmpty() && !unanswered.isEmpty()) {
                        wrong.addAll(extraAnswers(all, unanswered, sent));
                    }
                    if (!wrong.isEmpty()) {
                        throw new AssertionFailedError("With 50 clients connected at once, each having sent one"
                                + " message (\"client N, message " + round + ": 你好\"), " + wrong.size() + " got an"
                                + " answer that was not theirs, e.g. " + String.join("; ", wrong.subList(0, Math.min(3,
                                wrong.size()))) + CROSSED + ". " + NOTES);
                    }
                    if (!unanswered.isEmpty()) {
                        throw new AssertionFailedError("With 50 clients connected at once, each having sent one"
                                + " message, " + unanswered.size() + " got no answer within " + 3 * WAIT.toSeconds()
                                + " s: clients " + unanswered.subList(0, Math.min(10, unanswered.size())) + "."
                                + s.endedEarly() + " Every client needs a conversation of its own, on its own thread,"
                                + " while the accepting thread goes on accepting " + NOTES);
                    }
                }
            }
        }

        /**
         * Clients that were answered and then got more lines: the answers the silent ones never got
         * went to them (a writer shared by every conversation), e.g. "client 50 got 49 more answers, the
         * first \"你说: client 1, …\"". Reads for at most 300 ms in all.
         */
        private List<String> extraAnswers(List<ReferenceClient> all, List<Integer> unanswered, List<String> sent)
                throws Exception {
            List<String> found = new ArrayList<>();
            long deadline = System.nanoTime() + 300_000_000L;
            for (int i = 0; i < all.size(); i++) {
                if (unanswered.contains(i + 1)) {
                    continue;
                }
                List<String> more = new ArrayList<>();
                while (true) {
                    long left = Math.max(1_000_000L, deadline - System.nanoTime());
                    try {
                        more.add(all.get(i).readLine(Duration.ofNanos(left).dividedBy(more.isEmpty() ? 4 : 50)));
                    } catch (AssertionFailedError none) {
                        break;
                    }
                }
                if (!more.isEmpty()) {
                    found.add("client " + (i + 1) + " got " + more.size() + " more answer" + (more.size() == 1 ? "" : "s")
                            + " after its own, the first \"" + Transcript.escape(more.get(0)) + "\"");
                }
            }
            return found;
        }

        @Test
        @DisplayName("answers every line as it is (spaces, an empty line, a quit word inside a longer line) and ends on a quit word with spaces")
        void answersEveryLineAndEndsOnTheQuitWord(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                String[][] lines = {
                    {"  hello, with spaces  ", "a message is answered as it came, spaces included"},
                    {"", "an empty line is a message like any other: the end of the stream is readLine() returning"
                            + " null, not an empty line (Python's `if not data` tests for b'', which an empty line is not)"},
                    {"I will say 关闭 later", "a quit word inside a longer line is not the quit word: compare the"
                            + " whole (stripped) line, ChatProtocol.isQuit(line), never contains()"},
                    {"/quit, I said", "\"/quit\" at the start of a longer line is not the quit word either"},
                };
                for (String[] line : lines) {
                    a.send(line[0]);
                    String answer = read(s, a, "The client sent \"" + Transcript.escape(line[0]) + "\" and expected"
                            + " an answer: " + line[1] + ".", NOTES);
                    assertThat(answer).as("the answer to \"%s\": %s %s", Transcript.escape(line[0]), line[1], NOTES)
                            .isEqualTo(StudentServer.answer(line[0]));
                }
                ReferenceClient b = clients.connect(s.port);
                exchange(s, b, "client B", "hello", NOTES);
                for (ReferenceClient client : List.of(a, b)) {
                    String quit = client == a ? " /quit " : "\t关闭 ";
                    client.send(quit);
                    Outcome end = client.awaitEnd(WAIT);
                    String extra = null;
                    try {
                        extra = client.readLine(Duration.ofMillis(1));
                    } catch (AssertionFailedError none) {
                        // nothing came: right
                    }
                    String why = "a quit word with spaces or a tab around it is still the quit word (compare the"
                            + " stripped line: ChatProtocol.isQuit(line)): the conversation ends, unanswered, and the"
                            + " socket is closed";
                    assertThat(extra).as("what the client got after sending \"%s\": %s %s", Transcript.escape(quit), why,
                            NOTES).isNull();
                    assertThat(end).as("the client's connection after it sent \"%s\": %s %s", Transcript.escape(quit), why,
                            NOTES).isEqualTo(Outcome.EOF);
                }
                s.awaitEvents("left", List.of(a.localPort(), b.localPort()), "A client that sends a quit word has left:"
                        + " tell events.left(...) " + NOTES);
            }
        }

        @Test
        @DisplayName("ends a conversation when the replier answers null (at once) or a quit word (once it is sent)")
        void endsOnTheRepliersWord(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                ReferenceClient b = clients.connect(s.port);
                exchange(s, a, "client A", "hello", NOTES);
                exchange(s, b, "client B", "hello", NOTES);
                a.send(StudentServer.NO_ANSWER);
                Outcome end = a.awaitEnd(WAIT);
                String extra = null;
                try {
                    extra = a.readLine(Duration.ofMillis(1));
                } catch (AssertionFailedError none) {
                    // nothing came: right
                }
                String why = "the replier's null means \"no answer: end the conversation at once\" (Replier.replyTo):"
                        + " send nothing, close the socket, tell events.left";
                assertThat(extra).as("what client A got when the replier answered null: %s %s", why, NOTES).isNull();
                assertThat(end).as("client A's connection when the replier answered null: %s %s", why, NOTES)
                        .isEqualTo(Outcome.EOF);
                b.send(StudentServer.SAY_QUIT);
                String answer = read(s, b, "The replier answered client B's message with the quit word 关闭: send it,"
                        + " then end the conversation.", NOTES);
                assertThat(answer).as("what client B got when the replier answered with the quit word: it is sent like"
                        + " any answer, then the conversation ends %s", NOTES).isEqualTo("关闭");
                assertThat(b.awaitEnd(WAIT)).as("client B's connection after the replier's quit word was sent: a quit"
                        + " word ends the conversation whichever side says it (close the socket, tell events.left) %s",
                        NOTES).isEqualTo(Outcome.EOF);
                s.awaitEvents("left", List.of(a.localPort(), b.localPort()), "Tell events.left(...) " + NOTES);
            }
        }

        @Test
        @DisplayName("tells events.connected and events.left on the conversation's thread, left once the socket is closed")
        void tellsEventsFromTheConversation(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                java.util.Map<Integer, ReferenceClient> byPort = new java.util.concurrent.ConcurrentHashMap<>();
                java.util.Map<Integer, Outcome> seen = new java.util.concurrent.ConcurrentHashMap<>();
                s.onLeft = client -> {
                    ReferenceClient c = byPort.get(client.getPort());
                    if (c != null) {
                        seen.put(client.getPort(), c.awaitEnd(Duration.ofMillis(500)));
                    }
                };
                List<ReferenceClient> all = new ArrayList<>();
                for (String ending : List.of("/quit", StudentServer.NO_ANSWER)) {
                    ReferenceClient c = clients.connect(s.port);
                    byPort.put(c.localPort(), c);
                    exchange(s, c, "client " + c.localPort(), "hello", NOTES);
                    c.send(ending);
                    all.add(c);
                }
                s.awaitEvents("left", ports(all), "A conversation that ends (a quit word, the replier's null) tells"
                        + " events.left(...) " + NOTES);
                for (ReferenceClient c : all) {
                    int port = c.localPort();
                    assertThat(seen.get(port)).as("the client's connection as seen from inside events.left(...) (the"
                            + " checker looked there for up to 500 ms): events.left says the conversation is over and"
                            + " its socket closed, so close the socket first (try-with-resources around the"
                            + " conversation), then tell left %s", NOTES).isEqualTo(Outcome.EOF);
                    Thread on = s.connectedOn.get(port);
                    assertThat(on).as("the thread that told events.connected for the client from port %d: the"
                            + " conversation's own thread, not the accepting one (serve()'s) %s", port, NOTES)
                            .isNotNull().isNotSameAs(s.servingThread());
                    assertThat(s.leftOn.get(port)).as("the thread that told events.left for the client from port %d:"
                            + " the conversation's, the one that told connected (%s) %s", port, on.getName(), NOTES)
                            .isSameAs(on);
                    assertThat(s.why.get(port)).as("the reason handed to events.left for the client from port %d %s",
                            port, NOTES).isNotBlank();
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

    /** The limit of a line, in bytes of UTF-8 without its line end. */
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;
    /** Exactly MAX bytes: 1365 Chinese characters of 3 bytes, and one letter. */
    static final String LONGEST = "长".repeat(MAX / 3) + "a".repeat(MAX % 3);
    /** One byte more: 4097 bytes, but only 1367 characters (a limit counted in characters lets it through). */
    static final String TOO_LONG = LONGEST + "a";
    static final String LIMIT_NOTES = Notes.see("lab4", "bounded-lines");
    static final String UNBOUNDED = "BufferedReader.readLine() keeps reading until a line end comes, however far"
            + " away, and holds the whole line in memory: one client sending 100 MB without a line end took the"
            + " reference server from 43 MB to 313 MB resident, and a few such clients exhaust the heap that every"
            + " other client's thread shares. Read with the given LineReader, new LineReader(socket.getInputStream()):"
            + " it throws BadLineException as soon as a line passes ChatProtocol.MAX_LINE_BYTES (" + MAX + " bytes);"
            + " send e.errorLine() and a \\n, then end that conversation only";

    static final LineChecks LINES = new LineChecks(WAIT, ChatProtocol.LINE_TOO_LONG,
            "send e.errorLine() of the BadLineException, and a \\n", UNBOUNDED, LIMIT_NOTES, "conversation", null);

    /**
     * After {@code client} sent {@code what}, a line longer than the limit: its next line must be
     * ChatProtocol.LINE_TOO_LONG, then the end of its stream (a FIN, or a reset: the rest of the line
     * may still be unread when the server closes), and events.left told for it.
     */
    static void assertRefused(StudentServer s, ReferenceClient client, String what, String tooLongAnswer)
            throws Exception {
        LINES.assertRefused(client, what, tooLongAnswer, s::endedEarly);
        s.awaitEvents("left", List.of(client.localPort()), "A client whose line was too long has left: close its"
                + " socket and tell events.left(...) " + LIMIT_NOTES);
    }

    /** Client A, which was there before, and a new client both still get answers. */
    static void othersChatOn(StudentServer s, ReferenceClients clients, ReferenceClient a) throws Exception {
        String why = "Another client's line was too long: that ends its conversation only (return from that"
                + " conversation; never close the listener, the server, or the other clients' sockets).";
        if (!s.isServing()) {
            read(s, a, why, LIMIT_NOTES); // fails at once, saying how serve() ended
        }
        a.send("still here?");
        String answer = read(s, a, why + " Client A, connected all along, got no answer.", LIMIT_NOTES);
        assertThat(answer).as("the answer client A got after another client's line was too long: %s %s", why,
                LIMIT_NOTES).isEqualTo(StudentServer.answer("still here?"));
        ReferenceClient later;
        try {
            later = clients.connect(s.port);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage() + " " + why + " " + LIMIT_NOTES, e);
        }
        exchange(s, later, "a client that came after", "and me?", why + " " + LIMIT_NOTES);
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: a thread per client, each reading bounded lines")
    class Task1Lines {
        static final String NOTES = LIMIT_NOTES;

        @Test
        @DisplayName("answers a line of MAX_LINE_BYTES bytes; one byte more gets LINE_TOO_LONG and the end of that connection only")
        void boundsTheLine(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "client A", "I am A", NOTES);
                ReferenceClient x = clients.connect(s.port);
                x.send(LONGEST);
                String answer = read(s, x, "The client sent a line of exactly ChatProtocol.MAX_LINE_BYTES = " + MAX
                        + " bytes (1365 Chinese characters and a letter), which the protocol allows.", NOTES);
                assertThat(answer).as("the answer to a line of exactly ChatProtocol.MAX_LINE_BYTES = %d bytes, which"
                        + " the protocol allows (the checker's replier answers a long message with its length and"
                        + " hash): the limit counts bytes of UTF-8, and this many is still fine %s", MAX, NOTES)
                        .isEqualTo(StudentServer.answer(LONGEST));
                x.send(TOO_LONG);
                assertRefused(s, x, "a line of " + (MAX + 1) + " bytes (1367 characters) and its \\n",
                        StudentServer.answer(TOO_LONG));
                othersChatOn(s, clients, a);
            }
        }

        @Test
        @DisplayName("refuses a line as soon as it passes the limit, without waiting for its line end; the others chat on")
        void refusesWithoutTheLineEnd(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(2, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "client A", "I am A", NOTES);
                ReferenceClient x = clients.connect(s.port);
                assertRefused(s, x, LineChecks.sendEndlessLine(x, MAX), null);
                othersChatOn(s, clients, a);
            }
        }

        @Test
        @DisplayName("takes a lone \\r as part of the message, and \\r\\n as a line end")
        void carriageReturns(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                ReferenceClient client = clients.connect(s.port);
                java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
                s.onReply = asked::add;
                LINES.carriageReturns(client, () -> s.endedEarly() + " " + NOTES, (c, answer) ->
                        assertThat(answer).as("your server's answer to the bytes \"%s\", the message \"%s\" (the replier"
                                + " was asked to answer: %s): %s %s", Transcript.escape(c.sent()), Transcript.escape(c.message()),
                                Transcript.escape(asked.toString()), c.why(), NOTES)
                                .isEqualTo(StudentServer.answer(c.message())));
            }
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: a pool of workers")
    class Task2 {
        static final String NOTES = Notes.see("lab4", "task-pool");
        static final String BUSY_LINE = "The busy line is a line like any other: ChatProtocol.BUSY + \"\\n\", in UTF-8,"
                + " flushed, then the socket closed.";

        @Test
        @DisplayName("rejects a negative number of workers")
        void rejectsNegativeWorkers() throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Problems problems = new Problems();
                problems.expectIllegalArgument("new ChatServer(listener, -1, 10 s)", LIMIT,
                        () -> new ChatServer(listener, -1, IDLE));
                problems.expectIllegalArgument("new ChatServer(listener, 2, 0 s)", LIMIT,
                        () -> new ChatServer(listener, 2, Duration.ZERO));
                problems.expectIllegalArgument("new ChatServer(listener, 2, -1 s)", LIMIT,
                        () -> new ChatServer(listener, 2, Duration.ofSeconds(-1)));
                problems.expectIllegalArgument("new ChatServer(listener, -2147483648, 10 s)", LIMIT,
                        () -> new ChatServer(listener, Integer.MIN_VALUE, IDLE));
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
                Hold hold = new Hold(1, LIMIT);
                s.onTurnedAway = client -> hold.here();
                ReferenceClient c = clients.connect(s.port);
                if (hold.awaitHeld()) {
                    // Held inside events.turnedAway: by now C must have had the busy line, and the end.
                    String got;
                    Outcome end;
                    try {
                        got = lineEnd(c.readLine(Duration.ofMillis(500)), NOTES);
                        end = c.awaitEnd(Duration.ofMillis(500));
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError("Client C connected while both workers were busy; when your server"
                                + " told events.turnedAway(...) (the checker looked from inside it), " + e.getMessage()
                                + " " + BUSY_LINE + " " + NOTES, e);
                    } finally {
                        hold.release();
                    }
                    assertThat(got).as("the line client C had got when your server told events.turnedAway(...) (the"
                            + " checker looked from inside it): send the busy line first %s", NOTES)
                            .isEqualTo(ChatProtocol.BUSY);
                    assertThat(end).as("client C's connection when your server told events.turnedAway(...) (the checker"
                            + " looked from inside it, for 500 ms): turnedAway says the client was sent the busy line"
                            + " and its socket closed, so close it first, then tell %s", NOTES).isEqualTo(Outcome.EOF);
                    exchange(s, a, "client A", "A is still served", NOTES);
                    return;
                }
                hold.release();
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
        @DisplayName("closes the socket of a client it turns away even when the client reset before it was accepted")
        void closesATurnedAwayClientThatReset(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(1, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "client A", "I keep the only worker", NOTES);
                Hold hold = new Hold(1, LIMIT);
                s.onTurnedAway = client -> hold.here();
                ReferenceClient b = clients.connect(s.port);
                boolean held = hold.awaitHeld();
                // While the accepting thread is held inside events.turnedAway(B), C connects and resets: the
                // server accepts a connection already reset, and writing the busy line to it throws.
                ReferenceClient c = clients.connect(s.port);
                int port = c.localPort();
                c.reset();
                long before = org.tcpworkbook.kit.OpenSockets.count();
                hold.release();
                assertThat(held).as("events.turnedAway(...) for client B, who came while the only worker was busy %s",
                        NOTES).isTrue();
                s.awaitEvents("turned away", List.of(port), "Client C came while the only worker was busy, and reset"
                        + " its connection before your server accepted it: writing the busy line to it throws (\"Connection"
                        + " reset\" or \"Broken pipe\"), yet it was turned away: close its socket and tell"
                        + " events.turnedAway(...) all the same " + NOTES);
                long after = org.tcpworkbook.kit.OpenSockets.count();
                assertThat(after - before).as("sockets your server left open after turning away client C, who had"
                        + " reset before it was accepted, so that writing the busy line threw: close a turned-away"
                        + " client's socket on every path, errors included (try-with-resources) %s", NOTES)
                        .isLessThanOrEqualTo(0);
                exchange(s, a, "client A", "still mine", NOTES);
            }
        }

        @Test
        @DisplayName("reads the line a turned-away client had already sent before closing: the client gets the busy line and a clean end, not a reset")
        void drainsATurnedAwayClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(1, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "client A", "I keep the only worker", NOTES);
                Hold hold = new Hold(1, LIMIT);
                s.onTurnedAway = client -> hold.here();
                ReferenceClient b = clients.connect(s.port);
                boolean held = hold.awaitHeld();
                // While the accepting thread is held inside events.turnedAway(B), C connects and sends a line:
                // when the server accepts C, the line is already waiting, unread, in C's socket.
                ReferenceClient c;
                try {
                    assertThat(held).as("events.turnedAway(...) for client B, who came while the only worker was busy %s",
                            NOTES).isTrue();
                    c = clients.connect(s.port);
                    c.send("hello? is anyone free?");
                } finally {
                    hold.release();
                }
                String why = "Client C came while the only worker was busy, and had sent a line before your server"
                        + " accepted it (a client that writes first, like nc fed from a pipe).";
                String line = read(s, c, why, NOTES);
                assertThat(line).as("the line client C got (it came while the only worker was busy) %s", NOTES)
                        .isEqualTo(ChatProtocol.BUSY);
                assertThat(c.awaitEnd(WAIT)).as("%s The end of its connection after the busy line, within %d ms: send"
                        + " it at once, shutdownOutput() right after the busy line, even while you read what C sent %s",
                        why, WAIT.toMillis(), NOTES).isEqualTo(Outcome.EOF);
                s.awaitEvents("turned away", List.of(c.localPort()), "Tell events.turnedAway(...) " + NOTES);
                // The server is done with C's socket. Had it closed it with C's line unread, the kernel sent a
                // reset (RST) after the busy line, and C's next write fails; after a clean end it succeeds.
                try {
                    c.send("are you still there?");
                } catch (java.net.SocketException e) {
                    throw new AssertionFailedError(why + " It read the busy line and the end, but your server's"
                            + " close reset the connection (C's next write failed: \"" + e.getMessage() + "\"): your"
                            + " server closed C's socket with C's line still unread, and closing a socket with unread"
                            + " input sends a reset (RST), not a clean end. Here C had already read the busy line; a"
                            + " client that is still writing, or is farther away, gets the reset first and sees"
                            + " \"Connection reset\" instead of the busy line. Before closing, read what the client"
                            + " sent: shutdownOutput() after the busy line, then read and drop its input until -1,"
                            + " for a short time and a few KB at most (the accepting thread must not wait long). "
                            + NOTES, e);
                }
                exchange(s, a, "client A", "still mine", NOTES);
            }
        }

        @Test
        @DisplayName("turns away every client beyond the 2 workers, even when they all came before serve() began")
        void turnsAwayClientsThatCameEarly(ReferenceClients clients) throws Exception {
            List<ReferenceClient> early = new ArrayList<>();
            try (StudentServer s = StudentServer.start(2, IDLE, port -> {
                for (int i = 0; i < 6; i++) {
                    early.add(clients.connect(port));
                }
            })) {
                for (int i = 2; i < early.size(); i++) {
                    ReferenceClient c = early.get(i);
                    String line;
                    try {
                        line = lineEnd(c.readLine(WAIT), NOTES);
                    } catch (AssertionFailedError e) {
                        if (!s.isServing()) {
                            throw new AssertionFailedError(s.endedEarly().strip() + " " + NOTES, e);
                        }
                        if (c.outcome() != Outcome.OPEN) {
                            throw new AssertionFailedError("6 clients had connected before serve() began, and your server"
                                    + " has 2 workers, so client " + (i + 1) + " is turned away with the busy line: "
                                    + e.getMessage() + " " + BUSY_LINE + s.endedEarly() + " " + NOTES, e);
                        }
                        throw new AssertionFailedError("6 clients had connected (waiting in the backlog) before serve()"
                                + " began, and your server has 2 workers, so clients 3 to 6 are turned away with the busy"
                                + " line; client " + (i + 1) + " got nothing, so it waits in the pool's queue. The permit"
                                + " must be taken on the accepting thread, before the conversation is handed over"
                                + " (tryAcquire() right after accept()): a check of the free workers (availablePermits(),"
                                + " a count of busy conversations) that the worker's thread acts on later lets the next"
                                + " clients, accepted in the meantime, slip past the check. " + e.getMessage()
                                + s.endedEarly() + " " + NOTES, e);
                    }
                    assertThat(line).as("the line client %d of 6 got (all 6 came before serve() began; 2 workers) %s",
                            i + 1, NOTES).isEqualTo(ChatProtocol.BUSY);
                }
                for (int i = 0; i < 2; i++) {
                    exchange(s, early.get(i), "client " + (i + 1) + " of 6 (one of the first two)", "hello", NOTES);
                }
            }
        }

        @Test
        @DisplayName("takes a worker's permit on the accepting thread: with 2 permits free, the third newcomer is turned away")
        void takesThePermitOnTheAcceptingThread(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(2, IDLE)) {
                Hold hold = new Hold(2, LIMIT);
                s.onLeft = client -> hold.here();
                ReferenceClient a = clients.connect(s.port);
                ReferenceClient b = clients.connect(s.port);
                exchange(s, a, "client A", "hello", NOTES);
                exchange(s, b, "client B", "hello", NOTES);
                a.close();
                b.close();
                List<ReferenceClient> next = new ArrayList<>();
                try {
                    // Both workers' threads are held inside events.left: their permits are back, their threads busy.
                    assertThat(hold.awaitHeld())
                            .as("events.left for clients A and B, who closed their connections %s", NOTES).isTrue();
                    next = connect(clients, s, 3);
                    ReferenceClient e = next.get(2);
                    String line;
                    try {
                        line = lineEnd(e.readLine(WAIT), NOTES);
                    } catch (AssertionFailedError failed) {
                        throw new AssertionFailedError("Clients A and B had left (your server told events.left for both,"
                                + " and the checker held both workers' threads there), so 2 permits were free; then 3"
                                + " clients came. The first two take the permits, and the third must be turned away with the"
                                + " busy line at once, but it got nothing: it waits in the pool's queue. The accepting"
                                + " thread must take the permit itself (tryAcquire() right after accept()); a check of the"
                                + " free workers (availablePermits(), a count of busy conversations) that the worker's thread"
                                + " acts on later lets every newcomer pass while the workers are still busy. "
                                + failed.getMessage() + s.endedEarly() + " " + NOTES, failed);
                    }
                    assertThat(line).as("the line the third of 3 newcomers got, with 2 permits free %s", NOTES)
                            .isEqualTo(ChatProtocol.BUSY);
                } finally {
                    hold.release();
                }
                for (int i = 0; i < 2; i++) {
                    ReferenceClient c = next.get(i);
                    c.send("hello");
                    String answer = read(s, c, "Newcomer " + (i + 1) + " of 3 came after clients A and B had left (your"
                            + " server told events.left for both), so a permit was free for it: give the permit back"
                            + " before telling events.left.", NOTES);
                    assertThat(answer).as("the answer newcomer %d of 3 got, with a permit free for it: give the permit"
                            + " back before telling events.left %s", i + 1, NOTES).isEqualTo(StudentServer.answer("hello"));
                }
            }
        }

        @Test
        @DisplayName("frees the worker however a conversation ends: a quit word either way, no answer, a close, a reset")
        void freesTheWorkerOnEveryEnding(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(1, IDLE)) {
                String[][] endings = {
                    {" /quit ", "sent the quit word"},
                    {StudentServer.SAY_QUIT, "was answered with the quit word"},
                    {StudentServer.NO_ANSWER, "was given no answer (the replier returned null)"},
                    {"close", "closed its connection"},
                    {"reset", "reset its connection"},
                };
                String before = "none yet";
                for (String[] ending : endings) {
                    ReferenceClient c = clients.connect(s.port);
                    String line = "hello, after the client that " + before;
                    c.send(line);
                    String answer = read(s, c, "The only worker should have been free: the client before this one "
                            + before + ", and your server reported it gone.", NOTES);
                    assertThat(answer).as("the answer to a client that came after the client before it %s (your server"
                            + " reported it gone, so the only worker was free): give the worker's permit back in a"
                            + " finally, whatever ended the conversation %s", before, NOTES)
                            .isEqualTo(StudentServer.answer(line));
                    switch (ending[0]) {
                        case "close" -> c.close();
                        case "reset" -> c.reset();
                        default -> c.send(ending[0]);
                    }
                    s.awaitEvents("left", List.of(c.localPort()), "The client " + ending[1] + ": its conversation is"
                            + " over, tell events.left(...) " + NOTES);
                    before = ending[1];
                }
                exchange(s, clients.connect(s.port), "the client after the client that " + before, "hello", NOTES);
            }
        }

        @Test
        @DisplayName("drops a silent client after the idle timeout as given: 1.5 s and 2 s, and 0.5 ms is not 0 (never)")
        void idleTimeoutAsGiven(ReferenceClients clients) throws Exception {
            // A thread per client, so that each server's threads have ended (their clients dropped) before any stops.
            try (StudentServer tiny = StudentServer.start(0, Duration.ofNanos(500_000));
                 StudentServer s15 = StudentServer.start(0, Duration.ofMillis(1500));
                 StudentServer s2 = StudentServer.start(0, Duration.ofSeconds(2))) {
                ReferenceClient t = clients.connect(tiny.port);
                ReferenceClient c15 = clients.connect(s15.port);
                long c15At = System.nanoTime();
                ReferenceClient c2 = clients.connect(s2.port);
                long c2At = System.nanoTime();
                String whole = "The idle timeout is the whole Duration in milliseconds, idleTimeout.toMillis() (not"
                        + " toMillisPart(), which drops the seconds, nor toSeconds(), which drops the milliseconds), and"
                        + " setSoTimeout(0) means no timeout at all";
                long left15 = s15.awaitEvent("left", c15.localPort(), Duration.ofMillis(3000), "The idle timeout was"
                        + " 1.5 s, and the client was silent for 3 s. " + whole + " " + NOTES);
                assertThat((left15 - c15At) / 1_000_000).as("milliseconds from the connect of a silent client to"
                        + " events.left, with an idle timeout of 1.5 s. %s %s", whole, NOTES).isGreaterThanOrEqualTo(1450);
                long left2 = s2.awaitEvent("left", c2.localPort(), Duration.ofMillis(3500), "The idle timeout was"
                        + " 2 s, and the client was silent for 3.5 s. " + whole + " " + NOTES);
                assertThat((left2 - c2At) / 1_000_000).as("milliseconds from the connect of a silent client to"
                        + " events.left, with an idle timeout of 2 s. %s %s", whole, NOTES).isGreaterThanOrEqualTo(1950);
                assertThat(c15.awaitEnd(WAIT)).as("the end of the silent client's connection, after your server"
                        + " reported it gone for its silence: close the socket on the timeout path too (try-with-resources"
                        + " around the conversation) %s", NOTES).isEqualTo(Outcome.EOF);
                tiny.awaitEvent("left", t.localPort(), WAIT, "The idle timeout was 0.5 ms, and the client was silent"
                        + " for 2 s. A positive timeout under 1 ms must not become 0 ms, which setSoTimeout takes as"
                        + " \"no timeout: wait for ever\" ((int) toMillis() truncates 0.5 ms to 0): round it up to 1 ms "
                        + NOTES);
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
                assertThat(silent.awaitEnd(WAIT)).as("the end of the silent client's connection, after your server"
                        + " reported it gone for its silence: close the socket on the timeout path too, on every path"
                        + " (try-with-resources around the conversation) %s", NOTES).isEqualTo(Outcome.EOF);
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
        @DisplayName("lists who is online in the order they came")
        void listsInTheOrderTheyCame(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                List<String> came = new ArrayList<>();
                for (int i = 1; i <= 12; i++) {
                    ReferenceClient c = clients.connect(s.port);
                    exchange(s, c, "client " + i, "hello, I am number " + i, NOTES); // its conversation has begun
                    came.add("127.0.0.1:" + c.localPort());
                }
                List<InetSocketAddress> online = Student.call("calling online()", LIMIT, s.server::online);
                assertThat(online.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                        .collect(Collectors.toList())).as("online() after 12 clients came one after another, each"
                        + " answered before the next came: \"the clients connected right now, in the order they"
                        + " came\" (a list that keeps the order it was added in, not a set or a map keyed by"
                        + " address) %s", NOTES).containsExactlyElementsOf(came);
            }
        }

        @Test
        @DisplayName("removes a client from online() before telling events.left")
        void removesBeforeLeft(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(0, IDLE)) {
                java.util.Map<Integer, List<InetSocketAddress>> seen = new java.util.concurrent.ConcurrentHashMap<>();
                s.onLeft = client -> seen.put(client.getPort(), s.server.online());
                List<ReferenceClient> all = connect(clients, s, 3);
                for (ReferenceClient c : all) {
                    exchange(s, c, "client " + c.localPort(), "hello", NOTES);
                }
                all.get(0).close();
                all.get(1).send("/quit");
                all.get(2).reset();
                s.awaitEvents("left", ports(all), NOTES);
                for (ReferenceClient c : all) {
                    List<InetSocketAddress> online = seen.get(c.localPort());
                    assertThat(online).as("online(), called from inside events.left(...) for the client from port %d:"
                            + " remove the client from online() before telling events.left (the operator's program"
                            + " lists who is online when it hears someone left) %s", c.localPort(), NOTES)
                            .isNotNull()
                            .noneMatch(a -> a.getPort() == c.localPort());
                }
            }
        }

        @Test
        @DisplayName("counts the messages answered: not the quit word, not a message the replier left unanswered")
        void countsOnlyAnswers(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start(1, IDLE)) {
                ReferenceClient a = clients.connect(s.port);
                for (int i = 1; i <= 3; i++) {
                    exchange(s, a, "client A", "message " + i, NOTES);
                }
                a.send(" /quit ");
                s.awaitEvents("left", List.of(a.localPort()), NOTES);
                ReferenceClient b = clients.connect(s.port);
                exchange(s, b, "client B", "hello", NOTES);
                b.send(StudentServer.NO_ANSWER);
                s.awaitEvents("left", List.of(b.localPort()), NOTES);
                ReferenceClient c = clients.connect(s.port);
                c.send(StudentServer.SAY_QUIT);
                assertThat(read(s, c, "", NOTES)).as("the replier's quit word, sent to client C %s", NOTES).isEqualTo("关闭");
                s.awaitEvents("left", List.of(c.localPort()), NOTES);
                long counted = Student.call("calling messages()", LIMIT, s.server::messages);
                assertThat(counted).as("messages() after 5 answers sent (3 to client A, who then sent the quit word;"
                        + " 1 to client B, whose next message the replier left unanswered (null); 1 to client C, the"
                        + " replier's quit word): count an answer when it is sent, not a line when it arrives %s", NOTES)
                        .isEqualTo(5);
            }
        }

        /**
         * Two races, each made to happen every run. A plain ArrayList: replaced before serve() by
         * a {@link GatedList}, which holds the thread that adds a newcomer inside add() while the
         * checker's own thread calls online() and another client leaves: with every use under one
         * lock (whichever) they block; without, they go in beside it. A count++ has no call of the
         * checker's inside it, so {@link HeldLocks} holds every lock the server could guard it with
         * while a client talks and another leaves: a counter that changes meanwhile has no lock.
         */
        /** How long a forced race waits for the threads it needs to reach their place (they do in milliseconds). */
        static final Duration RACE_BOUND = Duration.ofSeconds(5);

        @Test
        @DisplayName("changes who is online and the count only under a lock, or in thread-safe classes (checked holding every lock)")
        void changesSharedStateSafely(ReferenceClients clients) throws Exception {
            java.util.Map<String, GatedList<Object>> gated = new java.util.LinkedHashMap<>();
            try (StudentServer s = StudentServer.start(0, IDLE, port -> { }, server -> gated.putAll(HeldLocks.gateArrayLists(server)))) {
                ReferenceClient a = clients.connect(s.port);
                ReferenceClient b = clients.connect(s.port);
                exchange(s, a, "client A", "hello", NOTES);
                exchange(s, b, "client B", "hello", NOTES);
                HeldLocks locks = new HeldLocks(s.server);
                List<String> changed = locks.changedWhileHeld(() -> {
                    a.send("a message while the checker holds your server's locks");
                    b.close();
                }, 8_000);
                assertThat(changed).as("fields of your ChatServer that a conversation's thread changed (client A sent"
                        + " a message, client B left) while the checker held every lock your server has: the"
                        + " ChatServer's own monitor and its class's, those of its collections and lock objects, its"
                        + " Locks. They are shared by every conversation's thread, yet changed with no lock at all, so"
                        + " two threads that change them at the same time lose changes: count++ on a long is read, add"
                        + " one, write back (use an AtomicLong's incrementAndGet()), and a plain HashSet or LinkedList"
                        + " changed by two threads at once loses or corrupts elements (use a CopyOnWriteArrayList, a"
                        + " concurrent set, or synchronize every use on one lock) %s", NOTES).isEmpty();
                assertThat(read(s, a, "", NOTES)).as("the answer client A got once the checker let go of the locks %s",
                        NOTES).isEqualTo(StudentServer.answer("a message while the checker holds your server's locks"));
                s.awaitEvents("left", List.of(b.localPort()), NOTES);

                // The ArrayLists: hold the thread that adds a newcomer inside add(), and let others come.
                gated.values().forEach(g -> g.gate().arm());
                ReferenceClient c = clients.connect(s.port);
                // until a thread is held in a list, or the server told events.connected without changing one
                long deadline = System.nanoTime() + RACE_BOUND.toNanos();
                GatedList<Object> holding = null;
                while (holding == null && !gated.isEmpty() && !s.connectedOn.containsKey(c.localPort())) {
                    if (System.nanoTime() > deadline) {
                        gated.values().forEach(g -> g.gate().release());
                        org.assertj.core.api.Assertions.fail("Client %d connected, but in %d s your server neither changed its list (%s) nor called"
                                + " events.connected %s", c.localPort(), RACE_BOUND.toSeconds(), gated.keySet(), NOTES);
                    }
                    for (GatedList<Object> list : gated.values()) {
                        if (list.gate().awaitHeld(10)) {
                            holding = list;
                            break;
                        }
                    }
                }
                String heldWhere = holding == null ? null : holding.gate().heldDescription();
                GatedList<Object> held = holding;
                Thread reader = new Thread(() -> s.server.online(), "checker-calls-online");
                reader.setDaemon(true);
                try {
                    if (held != null) {
                        reader.start();
                    }
                    a.close(); // its thread takes it off the list: one more thread for it, if unguarded
                    if (held != null) {
                        // until the checker's thread is inside a list, waits for a lock the held thread owns, or is done
                        long readerDeadline = System.nanoTime() + RACE_BOUND.toNanos();
                        while (reader.isAlive() && gated.values().stream().noneMatch(l -> l.gate().isInside(reader))
                                && !held.waitsForTheHeldThread(reader)) {
                            if (System.nanoTime() > readerDeadline) {
                                org.assertj.core.api.Assertions.fail("While the checker held %s, its own call of online() neither went into the list"
                                        + " nor waited for a lock that thread holds, in %d s %s", heldWhere,
                                        RACE_BOUND.toSeconds(), NOTES);
                            }
                            Thread.onSpinWait(); // nothing to await: an unguarded call signals nobody
                        }
                    }
                } finally {
                    gated.values().forEach(g -> g.gate().release());
                }
                reader.join(LIMIT.toMillis());
                List<String> overlapping = new ArrayList<>();
                gated.forEach((name, list) -> {
                    if (!list.gate().overlaps().isEmpty()) {
                        overlapping.add(name + ": the checker held " + heldWhere + " (client " + c.localPort()
                                + " arriving) and meanwhile " + list.gate().overlaps().get(0)
                                + (list.gate().overlaps().size() > 1 ? " (and " + (list.gate().overlaps().size() - 1) + " more)" : ""));
                    }
                });
                assertThat(overlapping).as("lists of your ChatServer that two threads were inside at once: every"
                        + " conversation's thread adds and removes its client, and online() reads the list, so a plain"
                        + " ArrayList changed by one thread while another uses it loses or corrupts elements, or throws."
                        + " Use a CopyOnWriteArrayList, or synchronize every use on one lock %s", NOTES).isEmpty();
                s.awaitEvents("left", List.of(a.localPort()), NOTES);
            }
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

        @Test
        @DisplayName("stops while conversations are in the middle of an answer: close() waits for their threads")
        void waitsForConversationsMidAnswer(ReferenceClients clients) throws Exception {
            for (int workers : new int[] {0, 2}) {
                StudentServer s = StudentServer.start(workers, IDLE);
                Hold hold = new Hold(2, Duration.ofSeconds(5));
                s.onReply = message -> {
                    if (message.equals("hold on")) {
                        hold.here();
                    }
                };
                Student.Running<Void> closing = null;
                try {
                    List<ReferenceClient> two = connect(clients, s, 2);
                    for (ReferenceClient c : two) {
                        exchange(s, c, "client " + c.localPort(), "hello", NOTES);
                        c.send("hold on");
                    }
                    assertThat(hold.awaitHeld())
                            .as("both conversations inside the replier %s", NOTES).isTrue();
                    long began = System.nanoTime();
                    StudentServer server = s;
                    s.closedByCheck();
                    closing = Student.start("closing the server", () -> {
                        server.server.close();
                        return null;
                    });
                    for (ReferenceClient c : two) {
                        assertThat(c.awaitEnd(WAIT)).as("the connection of a client whose conversation was in the middle"
                                + " of an answer when close() was called: close() closes every client's socket %s", NOTES)
                                .isIn(Outcome.EOF, Outcome.RESET);
                    }
                    // Hold the two threads inside the replier a while after their sockets closed, then let them go.
                    closing.thread().join(200);
                    boolean returnedEarly = closing.isDone();
                    hold.release();
                    long took = (System.nanoTime() - began) / 1_000_000;
                    assertThat(returnedEarly).as("whether close() had returned (after %d ms, %s) while the 2"
                            + " conversations were still in the middle of an answer (the checker's replier held their"
                            + " threads for 200 ms after close() had closed their sockets): close() must wait for the"
                            + " conversations' threads to end, up to a deadline of its own (a second is plenty): join()"
                            + " each thread, or shutdown() and awaitTermination() the pool %s", took,
                            workers == 0 ? "a thread per client" : workers + " workers", NOTES).isFalse();
                    closing.await(LIMIT);
                    List<Thread> running = s.threads.started();
                    assertThat(running).as("the threads your server started, still running when close() returned"
                            + " (%s), though each ended within 200 ms of its socket's close: close() waits for them %s",
                            workers == 0 ? "a thread per client" : workers + " workers", NOTES)
                            .allMatch(t -> {
                                try {
                                    t.join(100); // a pool's worker may need a moment to end after awaitTermination
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return !t.isAlive();
                            });
                } finally {
                    hold.release();
                    s.close();
                }
            }
        }

        @Test
        @DisplayName("returns within 2 s even when 4 conversations are stuck in the replier: one deadline for all")
        void oneDeadlineForAll(ReferenceClients clients) throws Exception {
            StudentServer s = StudentServer.start(0, IDLE);
            Hold hold = new Hold(4, Duration.ofSeconds(6));
            s.onReply = message -> {
                if (message.equals("stuck")) {
                    hold.here();
                }
            };
            try {
                for (ReferenceClient c : connect(clients, s, 4)) {
                    exchange(s, c, "client " + c.localPort(), "hello", NOTES);
                    c.send("stuck");
                }
                assertThat(hold.awaitHeld())
                        .as("4 conversations inside the replier %s", NOTES).isTrue();
                s.closedByCheck();
                try {
                    Student.run("closing the server while 4 conversations were stuck in the replier", LIMIT,
                            s.server::close);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError("close() did not return within " + LIMIT.toSeconds() + " s while 4"
                            + " conversations were stuck inside the replier (closing their sockets cannot wake a thread"
                            + " that is not reading). The deadline is one for all the threads, not one per thread:"
                            + " compute it once (now + 1 s) and give each join() only the time left until it"
                            + " (deadline - now); 4 joins of 1 s each take 4 s. " + e.getMessage() + " " + NOTES, e);
                }
            } finally {
                hold.release();
                s.close();
            }
        }

        private void stopWithClients(ReferenceClients clients, int workers) throws Exception {
            StudentServer s = StudentServer.start(workers, IDLE);
            List<ReferenceClient> connected = connect(clients, s, workers == 0 ? 20 : 2); // many at once, or all the workers
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
