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
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.kit.LineChecks;
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
import org.tcpworkbook.kit.Transcript;

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
        assertAnswer(answer, message, notes);
    }

    /** The answer must be the replier's, exactly; a "\r" before the "\n" is println's. */
    static void assertAnswer(String answer, String message, String notes) {
        String expected = StudentServer.answer(message);
        if (answer.equals(expected + "\r")) {
            throw new AssertionFailedError("your server's answer to \"" + Transcript.escape(message) + "\" ended with"
                    + " \"\\r\\n\", not \"\\n\": it was \"" + Transcript.escape(answer) + "\\n\". println on a socket"
                    + " sends the platform's line separator, which is \"\\r\\n\" on Windows (the checker runs"
                    + " with it): the protocol's line ends with \"\\n\" alone. Write the answer and '\\n', then"
                    + " flush " + notes);
        }
        if (!answer.equals(expected)) {
            throw new AssertionFailedError("your server's answer to \"" + Transcript.escape(message) + "\" was \""
                    + Transcript.escape(answer) + "\", expected \"" + Transcript.escape(expected) + "\" (the checker's"
                    + " replier answers \"你说: \" + the message, exactly as it arrived; lines in UTF-8, each ending"
                    + " with \\n)" + (answer.contains("\uFFFD") || answer.contains("?") && !expected.contains("?")
                    ? ". The Chinese text came back garbled: read and write with an InputStreamReader and an"
                    + " OutputStreamWriter in UTF-8, never the platform's default charset" : "") + " " + notes,
                    expected, answer);
        }
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

    /** How long a forced race waits for the threads it needs to reach their place (they do in milliseconds). */
    static final Duration RACE_BOUND = Duration.ofSeconds(8);

    /** java.util collections that are not safe for several threads changing them at once. */
    static final java.util.Set<Class<?>> UNSAFE_COLLECTIONS = java.util.Set.of(java.util.HashMap.class,
            java.util.LinkedHashMap.class, java.util.TreeMap.class, java.util.HashSet.class, java.util.LinkedHashSet.class,
            java.util.TreeSet.class, ArrayList.class, java.util.LinkedList.class, java.util.ArrayDeque.class,
            java.util.IdentityHashMap.class, java.util.WeakHashMap.class);

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
        @DisplayName("rejects a port or backlog that makes no sense, accepts every one that does (65535, backlog 1)")
        void rejectsNonsense() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Problems problems = new Problems();
            problems.expectIllegalArgument("bind(127.0.0.1, -1, 50)", LIMIT, () -> ClosingServer.bind(loopback, -1, 50));
            problems.expectIllegalArgument("bind(127.0.0.1, 65536, 50)", LIMIT,
                    () -> ClosingServer.bind(loopback, 65536, 50));
            problems.expectIllegalArgument("bind(127.0.0.1, 0, 0)", LIMIT, () -> ClosingServer.bind(loopback, 0, 0));
            problems.expectIllegalArgument("bind(127.0.0.1, 0, -1)", LIMIT, () -> ClosingServer.bind(loopback, 0, -1));
            problems.expectIllegalArgument("bind(127.0.0.1, " + Integer.MIN_VALUE + ", 50)", LIMIT,
                    () -> ClosingServer.bind(loopback, Integer.MIN_VALUE, 50));
            for (int[] edge : new int[][] {{65535, 50}, {0, 1}}) {   // the last valid port, the smallest backlog
                String call = "bind(127.0.0.1, " + edge[0] + ", " + edge[1] + ")";
                try {
                    ClosingServer edgeServer = Student.call("calling " + call, LIMIT,
                            () -> ClosingServer.bind(loopback, edge[0], edge[1]));
                    Student.run("shutting down the server of " + call, LIMIT,
                            () -> edgeServer.shutdown(Duration.ofMillis(100)));
                } catch (IllegalArgumentException e) {
                    problems.add(call + " threw " + e + ", yet both arguments are valid: a port is 0 to 65535"
                            + " (edges included), a backlog at least 1");
                } catch (BindException taken) {
                    // port 65535 is valid, but something else on this machine listens there
                }
            }
            problems.assertNone(NOTES);
        }

        @Test
        @DisplayName("honours the backlog asked for: with nobody accepting, backlog + 1 connects complete, the next waits")
        void honoursTheBacklog(ReferenceClients clients) throws Exception {
            int backlog = 3;                                 // not Java's default of 50, which an ignored argument gets
            ClosingServer server = Student.call("calling ClosingServer.bind(127.0.0.1, 0, " + backlog + ")", LIMIT,
                    () -> ClosingServer.bind(InetAddress.getLoopbackAddress(), 0, backlog));
            try {
                int port = Student.call("asking the server for its port", LIMIT, server::port);
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < backlog + 2; i++) {
                    outcomes.add(clients.tryConnect(port, i <= backlog ? WAIT : PROBE));
                }
                assertThat(outcomes.subList(0, backlog + 1)).as("the first %d connects to a server bound with backlog"
                        + " %d, which nobody accepts yet (serve() not called): the kernel completes backlog + 1 of"
                        + " them %s", backlog + 1, backlog, NOTES).containsOnly(Outcome.OPEN);
                assertThat(outcomes.get(backlog + 1)).as("connect number %d to a server bound with backlog %d that"
                        + " nobody accepts yet: its queue of waiting connections is full, so this connect must wait"
                        + " (and time out after %d ms). It completed: the listener's backlog is larger than %d, as if"
                        + " bind ignored the argument and took ServerSocket's default of 50. Pass it on:"
                        + " bind(new InetSocketAddress(address, port), backlog) %s", backlog + 2, backlog,
                        PROBE.toMillis(), backlog, NOTES).isEqualTo(Outcome.TIMED_OUT);
            } finally {
                Student.run("shutting down the server (serve() was never called)", LIMIT,
                        () -> server.shutdown(Duration.ofMillis(100)));
            }
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
                for (ReferenceClient client : List.of(first, second)) {
                    assertThat(s.seenInConnected(client)).as("what the checker saw when it called clients() from"
                            + " inside events.connected(...) for 127.0.0.1:%d: a client is connected, and listed, from"
                            + " the moment accept() returns its socket. Record it in the sessions map on the listener's"
                            + " thread, then tell events.connected, then start its session thread %s",
                            client.localPort(), NOTES).isEmpty();
                }
            }
        }

        @Test
        @DisplayName("passes each message to the replier as it arrived: spaces around it, an empty line, a tab")
        void passesMessagesAsSent(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient client = clients.connect(s.port);
                for (String message : List.of("  两边有空格 spaces around  ", "", "\t", "after the empty line")) {
                    String hint = NOTES + " A message is the whole line as it arrived: readLine() without its line end,"
                            + " spaces and all. Never strip() or trim() it (Python's line.strip() habit), and an"
                            + " empty line (\"\") is a message too: only null, the end of the stream, ends the session.";
                    try {
                        exchange(s, client, message, hint);
                    } catch (AssertionFailedError e) {
                        throw e.getMessage().contains("A message is the whole line") ? e
                                : new AssertionFailedError(e.getMessage() + " " + hint, e);
                    }
                }
            }
        }

        /**
         * The race forced, not waited for: each HashMap field of the server is replaced (before
         * serve() starts) by a {@link GatedMap}, a HashMap that holds the first thread changing it
         * inside that call. A client connects (the listener's thread adds it and is held there),
         * and meanwhile the checker's own thread calls clients() and kick(): with every use of the
         * map under one lock it blocks; without, it goes into the map while the other thread is
         * inside, every run. A collection of another unsafe class (no gated twin) is still judged
         * by its type.
         */
        @Test
        @DisplayName("keeps its sessions in collections that several threads may change at once")
        void usesThreadSafeCollections(ReferenceClients clients) throws Exception {
            List<String> unsafe = new ArrayList<>();
            java.util.Map<String, GatedMap<Object, Object>> gated = new java.util.LinkedHashMap<>();
            try (StudentServer s = StudentServer.start(0, server -> {
                for (java.lang.reflect.Field field : ClosingServer.class.getDeclaredFields()) {
                    if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object value = field.get(server);
                    String name = value == null ? "" : value.getClass().getName() + " " + field.getName();
                    if (value != null && value.getClass() == java.util.HashMap.class) {
                        @SuppressWarnings("unchecked")
                        GatedMap<Object, Object> twin = new GatedMap<>((java.util.Map<Object, Object>) value);
                        field.set(server, twin);
                        gated.put(name, twin);
                    } else if (value != null && UNSAFE_COLLECTIONS.contains(value.getClass())) {
                        unsafe.add(name);
                    }
                }
            })) {
                ReferenceClient a = clients.connect(s.port);
                exchange(s, a, "hello", NOTES);
                gated.values().forEach(g -> g.gate().arm());
                ReferenceClient b = clients.connect(s.port);
                // until a thread is held in a map, or the server told events.connected without changing one
                long deadline = System.nanoTime() + RACE_BOUND.toNanos();
                GatedMap<Object, Object> holding = null;
                while (holding == null && !gated.isEmpty() && s.seenInConnected(b) == null) {
                    if (System.nanoTime() > deadline) {
                        gated.values().forEach(g -> g.gate().release());
                        fail("Client %d connected, but in %s your server neither changed its map (%s) nor called"
                                + " events.connected %s", b.localPort(), RACE_BOUND.toSeconds() + " s", gated.keySet(), NOTES);
                    }
                    for (GatedMap<Object, Object> map : gated.values()) {
                        if (map.gate().awaitHeld(10)) {
                            holding = map;
                            break;
                        }
                    }
                }
                Thread reader = new Thread(() -> {
                    s.server.clients();
                    s.server.kick(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)); // nobody: only a look-up
                }, "checker-calls-clients-and-kick");
                reader.setDaemon(true);
                String heldWhere = holding == null ? null : holding.gate().heldDescription();
                GatedMap<Object, Object> held = holding;
                try {
                    if (held != null) {
                        reader.start();
                        a.close(); // its session thread removes it: one more thread for the map, if unguarded
                        // until the checker's thread is inside a map, waits for a lock the held thread owns, or is done
                        long readerDeadline = System.nanoTime() + RACE_BOUND.toNanos();
                        while (reader.isAlive() && gated.values().stream().noneMatch(m -> m.gate().isInside(reader))
                                && !held.waitsForTheHeldThread(reader)) {
                            if (System.nanoTime() > readerDeadline) {
                                fail("While the checker held %s, its own call of clients() and kick() neither went into"
                                        + " the map nor waited for a lock that thread holds, in %s %s", heldWhere,
                                        RACE_BOUND.toSeconds() + " s", NOTES);
                            }
                            Thread.onSpinWait(); // nothing to await: an unguarded call signals nobody
                        }
                    }
                } finally {
                    gated.values().forEach(g -> g.gate().release());
                }
                reader.join(LIMIT.toMillis());
                gated.forEach((name, map) -> {
                    if (!map.gate().overlaps().isEmpty()) {
                        unsafe.add(name + ": the checker held " + heldWhere + " (client " + b.localPort() + " connecting)"
                                + " and meanwhile " + map.gate().overlaps().get(0)
                                + (map.gate().overlaps().size() > 1 ? " (and " + (map.gate().overlaps().size() - 1) + " more)" : ""));
                    }
                });
                assertThat(unsafe).as("fields of your ClosingServer that hold a collection several threads change at"
                        + " once (the listener's thread adds each client, each session thread removes its own, kick,"
                        + " shutdown and clients() read it) but which is not made for that. A HashMap or ArrayList"
                        + " changed by one thread while another uses it can lose an entry, keep a dead one, or throw"
                        + " ConcurrentModificationException in clients(): rarely, on no test's demand, so this check"
                        + " holds a thread inside the map and lets another come (a collection of another such class it"
                        + " judges by its type). Use a ConcurrentHashMap, as the task says, or guard every use with"
                        + " one lock %s", NOTES).isEmpty();
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

    /** The limit of a line, in bytes of UTF-8 without its line end. */
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;
    /** Exactly MAX bytes: 1365 Chinese characters of 3 bytes, and one letter. */
    static final String LONGEST = "长".repeat(MAX / 3) + "a".repeat(MAX % 3);
    /** One byte more: 4097 bytes, but only 1367 characters (a limit counted in characters lets it through). */
    static final String TOO_LONG = LONGEST + "a";
    static final String LIMIT_NOTES = Notes.see("lab5", "line-limit");
    static final String UNBOUNDED = "BufferedReader.readLine() keeps reading until a line end comes, however far"
            + " away, and holds the whole line in memory: one client can make your server read (and keep) 100 MB,"
            + " and every session shares that heap. Read with the given LineReader, new"
            + " LineReader(socket.getInputStream()): it throws BadLineException as soon as a line passes"
            + " ChatProtocol.MAX_LINE_BYTES (" + MAX + " bytes); send e.errorLine(), then end that session only";

    static final LineChecks LINES = new LineChecks(WAIT, ChatProtocol.LINE_TOO_LONG,
            "send e.errorLine() of the BadLineException, and a \\n", UNBOUNDED, LIMIT_NOTES, "session", null);

    /**
     * After {@code client} sent {@code what}, a line longer than the limit: its next line must be
     * ChatProtocol.LINE_TOO_LONG, then the end of its stream (a FIN, or a reset: the rest of the line
     * may still be unread when the server closes), and events.left told for it.
     */
    static void assertRefused(StudentServer s, ReferenceClient client, String what, String tooLongAnswer)
            throws Exception {
        LINES.assertRefused(client, what, tooLongAnswer, s::endedEarly);
        s.awaitLeft(client, "the client whose line was too long", "That session is over: close its socket, remove the"
                + " client, call events.left(client, why) " + LIMIT_NOTES);
    }

    /** The client that was there before, and a new one, still get answers; the listener is open. */
    static void othersChatOn(StudentServer s, ReferenceClients clients, ReferenceClient other) throws Exception {
        String why = " Another client's line was too long: that ends its session only (never close the listener,"
                + " nor the other sessions) " + LIMIT_NOTES;
        exchange(s, other, "还在 still here", why);
        ReferenceClient later;
        try {
            later = clients.connect(s.port);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage() + why, e);
        }
        exchange(s, later, "a client that came after", why);
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: ClosingServer.serve, lines and their limit")
    class Task2Lines {
        static final String NOTES = LIMIT_NOTES;

        @Test
        @DisplayName("answers a line of MAX_LINE_BYTES bytes; one byte more gets LINE_TOO_LONG and the end of that session only")
        void boundsTheLine(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient other = clients.connect(s.port);
                exchange(s, other, "I am here first", NOTES);
                ReferenceClient x = clients.connect(s.port);
                exchange(s, x, LONGEST, " The client sent a line of exactly ChatProtocol.MAX_LINE_BYTES = " + MAX
                        + " bytes (1365 Chinese characters and a letter), which the protocol allows (the checker's"
                        + " replier answers a long message with its length and hash): the limit counts bytes of UTF-8,"
                        + " and this many is still fine " + NOTES);
                x.send(TOO_LONG);
                assertRefused(s, x, "a line of " + (MAX + 1) + " bytes (1367 characters) and its \\n",
                        StudentServer.answer(TOO_LONG));
                othersChatOn(s, clients, other);
            }
        }

        @Test
        @DisplayName("refuses a line as soon as it passes the limit, without waiting for its line end; the others chat on")
        void refusesWithoutTheLineEnd(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient other = clients.connect(s.port);
                exchange(s, other, "I am here first", NOTES);
                ReferenceClient x = clients.connect(s.port);
                assertRefused(s, x, LineChecks.sendEndlessLine(x, MAX), null);
                othersChatOn(s, clients, other);
            }
        }

        @Test
        @DisplayName("takes a lone \\r as part of the message, and \\r\\n as a line end")
        void carriageReturns(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient client = clients.connect(s.port);
                LINES.carriageReturns(client, () -> s.endedEarly() + " " + NOTES, (c, answer) ->
                        assertThat(answer).as("your server's answer to the bytes \"%s\", the message \"%s\" (the replier"
                                + " was asked to answer: %s): %s %s", Transcript.escape(c.sent()), Transcript.escape(c.message()),
                                Transcript.escape(String.valueOf(s.asked())), c.why(), NOTES)
                                .isEqualTo(StudentServer.answer(c.message())));
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
                List<InetSocketAddress> before = Student.call("calling clients()", LIMIT, s.server::clients);
                leaving.close();
                String why = s.awaitLeft(leaving, "client 1, which closed its connection", "The client closed (FIN):"
                        + " your server's readLine() returns null. That session is over: close its socket, remove the"
                        + " client, call events.left(client, why) " + NOTES);
                assertThat(s.asked()).as("what your server asked the replier to answer: null, after client 1 closed."
                        + " readLine() returns null when the client has closed (read() returned -1): that session"
                        + " is over, it is never a message to answer %s", NOTES).doesNotContainNull();
                assertInLeft(s, leaving, "client 1, which closed its connection", NOTES);
                assertReason(why, "client 1 closed its connection (FIN)", NOTES, "closed", "left");
                assertAcceptedSocketClosed(s, leaving, "client 1", NOTES);
                assertThat(s.clients()).as("clients() after client 1 (127.0.0.1:%d) closed and your server reported"
                        + " it gone: remove a client when its session ends, before events.left %s",
                        leaving.localPort(), NOTES).doesNotContain(shown(leaving)).contains(shown(staying));
                assertThat(before).as("the list clients() returned before client 1 left, read again after: clients()"
                        + " returns a copy (List.copyOf(...)), which its caller may keep and read while sessions come"
                        + " and go; never the live collection itself %s", NOTES).contains(StudentServer.addressOf(leaving));
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
                String why = s.awaitLeft(rude, "client 1, which reset its connection", hint);
                assertInLeft(s, rude, "client 1, which reset its connection", NOTES);
                assertReason(why, "client 1 reset its connection (RST): readLine() threw SocketException"
                        + " \"Connection reset\"", NOTES, "reset");
                exchange(s, polite, "did you notice anything?", hint);
                exchange(s, clients.connect(s.port), "a newcomer after the reset", hint);
                assertThat(s.isServing()).as("serve() is still running after a client reset.%s %s", s.endedEarly(),
                        hint).isTrue();
                assertThat(s.clients()).as("clients() after client 1 reset: %s", hint).doesNotContain(shown(rude));
            }
        }

        @Test
        @DisplayName("ends the session on a client's quit word, spaces around it or not; inside a longer line it is a message")
        void endsOnAClientsQuitWord(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient quitter = clients.connect(s.port);
                ReferenceClient other = clients.connect(s.port);
                String hint = "A message ends the conversation when it is a quit word (ChatProtocol.isQuit: 关闭 or"
                        + " /quit, spaces around it allowed); a line that merely contains one is an ordinary message"
                        + " to answer " + NOTES;
                exchange(s, quitter, "please /quit soon, not now", hint);
                exchange(s, quitter, "关闭了吗", hint);
                quitter.send(" /quit ");
                assertThat(quitter.awaitEnd(WAIT)).as("how client 1's connection ended within %d ms of its sending"
                        + " \" /quit \" (the quit word with spaces around it): the session ends, its socket is closed,"
                        + " and the client reads -1, with no answer. %s", WAIT.toMillis(), hint)
                        .isEqualTo(Outcome.EOF);
                assertThat(s.asked()).as("what your server asked the replier to answer: a quit word is not a message"
                        + " to answer. %s", hint).doesNotContain(" /quit ");
                String why = s.awaitLeft(quitter, "client 1, which sent the quit word", hint);
                assertInLeft(s, quitter, "client 1, which sent the quit word", NOTES);
                assertReason(why, "client 1 sent the quit word", NOTES, "quit");
                exchange(s, other, "我还在 still chatting", hint);
            }
        }

        @Test
        @DisplayName("sends the replier's quit word, then ends the session; ends it at once when the replier gives null")
        void endsOnTheRepliersQuitWordOrNull(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient told = clients.connect(s.port);
                ReferenceClient ignored = clients.connect(s.port);
                String hint = "The replier's answer is sent, and when it is a quit word the conversation ends after"
                        + " it; when the replier answers null, the conversation ends at once, with nothing sent"
                        + " (Replier's Javadoc) " + NOTES;
                told.send(StudentServer.SAY_QUIT);
                assertThat(told.readLine(WAIT)).as("the line client 1 read after sending \"%s\", which the checker's"
                        + " replier answers with the quit word %s. %s", StudentServer.SAY_QUIT,
                        StudentServer.QUIT_ANSWER, hint).isEqualTo(StudentServer.QUIT_ANSWER);
                assertThat(told.awaitEnd(WAIT)).as("how client 1's connection ended within %d ms of the quit word your"
                        + " server sent it. %s", WAIT.toMillis(), hint).isEqualTo(Outcome.EOF);
                assertReason(s.awaitLeft(told, "client 1, which was sent the quit word", hint),
                        "your server sent client 1 the quit word", NOTES, "quit");
                ignored.send(StudentServer.NO_ANSWER);
                String sent;
                try {
                    sent = ignored.readLine(WAIT);
                } catch (AssertionFailedError nothing) {     // the end of the stream, or silence: told below
                    sent = null;
                }
                assertThat(sent).as("the line client 2 read after sending \"%s\", which the checker's replier"
                        + " answers with null: nothing may be sent. %s", StudentServer.NO_ANSWER, hint).isNull();
                assertThat(ignored.outcome() == Outcome.OPEN ? ignored.awaitEnd(WAIT) : ignored.outcome()).as("how client 2's connection ended within %d ms of its sending"
                        + " \"%s\", which the checker's replier answers with null. %s", WAIT.toMillis(),
                        StudentServer.NO_ANSWER, hint).isEqualTo(Outcome.EOF);
                s.awaitLeft(ignored, "client 2, whose message the replier answered with null", hint);
                assertInLeft(s, ignored, "client 2, whose message the replier answered with null", NOTES);
            }
        }
    }

    /**
     * From inside events.left(client, ...) the checker called clients() and read the kernel's table:
     * the client must be gone and its accepted socket closed by then ("its socket closed", says
     * ServerEvents.left; the task: close, remove, then tell).
     */
    static void assertInLeft(StudentServer s, ReferenceClient client, String who, String notes) {
        assertThat(s.seenInLeft(client)).as("what the checker saw from inside events.left(...) for %s, when it called"
                + " clients() and looked at the connection: events.left says the session is over, so by then close"
                + " the client's socket (try-with-resources), then remove it from the sessions, and only then tell"
                + " events.left %s", who, notes).isEmpty();
    }

    /**
     * A connection the student's server ended must end with a FIN (the client reads -1), not a reset:
     * a reset here is a close with SO_LINGER 0.
     */
    static void assertEndedWithFin(Outcome outcome, String whose, String after, String notes) {
        if (outcome == Outcome.RESET) {
            throw new AssertionFailedError(whose + " was reset (RST: the client's read threw \"Connection reset\")"
                    + " instead of ended (FIN: the client reads -1), after " + after + ". A close with SO_LINGER 0"
                    + " (setSoLinger(true, 0)) aborts the connection: it sends a reset instead of a FIN, throws away"
                    + " whatever was still on its way, and the other side sees an error, not the end of the stream."
                    + " Close the socket normally: socket.close() " + notes);
        }
        assertThat(outcome).as("how %s ended within %d ms of %s %s", whose, WAIT.toMillis(), after, notes)
                .isEqualTo(Outcome.EOF);
    }

    /** The reason handed to events.left must name what happened: one of {@code words}, in any case. */
    static void assertReason(String why, String what, String notes, String... words) {
        String lower = why == null ? "" : why.toLowerCase(java.util.Locale.ROOT);
        for (String word : words) {
            if (lower.contains(word)) {
                return;
            }
        }
        throw new AssertionFailedError("the reason your server gave events.left was \"" + Transcript.escape(String.valueOf(why))
                + "\", but " + what + ": the operator reads the reason to know what happened, so it must say so,"
                + " with the word " + String.join(" or ", words.length == 1 ? List.of("\"" + words[0] + "\"")
                : java.util.Arrays.stream(words).map(w -> "\"" + w + "\"").toList()) + " (the task lists the"
                + " reasons: closed, reset, quit, kicked, shut down) " + notes);
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
                assertEndedWithFin(kicked.awaitEnd(WAIT), "client 1's connection", "kick(127.0.0.1:"
                        + kicked.localPort() + "): kick must close the socket accept() gave for that client, and the"
                        + " client then reads -1 (EOF)", NOTES);
                String why = s.awaitLeft(kicked, "client 1, which was kicked", "Closing a socket makes the read blocked"
                        + " on it throw SocketException at once: the kicked client's session ends like any other " + NOTES);
                assertInLeft(s, kicked, "client 1, which was kicked", NOTES);
                assertReason(why, "kick(...) ended client 1's session: mark the session as kicked before closing its"
                        + " socket, so that the session, whose readLine() then throws \"Socket closed\", knows why", NOTES,
                        "kick");
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
                ReferenceClient gone = clients.connect(s.port);
                exchange(s, gone, "I am leaving", NOTES);
                gone.close();
                s.awaitLeft(gone, "client 2, which closed its connection", NOTES);
                InetSocketAddress stranger = Loopback.closedPort();
                for (InetSocketAddress nobody : List.of(stranger, StudentServer.addressOf(gone))) {
                    String call = "kick(" + StudentServer.show(nobody) + "), a client that "
                            + (nobody == stranger ? "never connected" : "has left");
                    try {
                        Student.run("calling " + call, LIMIT, () -> s.server.kick(nobody));
                    } catch (RuntimeException e) {
                        throw new AssertionFailedError(call + " threw " + e + ": kick of a client that is not connected"
                                + " does nothing (look the session up, and do nothing when there is none) " + NOTES, e);
                    }
                }
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
        static final Duration MANY_PROMPTLY = Duration.ofSeconds(5);

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
                    assertEndedWithFin(client.awaitEnd(WAIT), "client " + n + "'s connection", "the goodbye:"
                            + " shutdown() closes each client's socket, and the client reads -1", NOTES);
                }
                s.awaitServeReturned("shutdown()", NOTES);
                assertReason(s.awaitLeft(first, "client 1, whose socket shutdown() closed", "Each session ends when"
                        + " shutdown() closes its socket, and tells events.left " + NOTES), "shutdown() ended client 1's"
                        + " session", NOTES, "shut down", "shutdown", "shutting down");
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
        @DisplayName("with busy sessions: returns after its grace, counted once for all sessions, not before")
        void boundsTheWaitByTheGraceInTotal(ReferenceClients clients) throws Exception {
            Duration grace = Duration.ofMillis(1500);        // a seconds part and a milliseconds part
            int n = 3;
            try (StudentServer s = StudentServer.start()) {
                List<ReferenceClient> busy = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    busy.add(clients.connect(s.port));
                    exchange(s, busy.get(i), "我是 " + (i + 1), NOTES);
                }
                s.holdLeft();                                // each session's events.left is a slow log
                String hint = n + " clients were connected, and each session thread, once its socket was closed,"
                        + " spent longer in events.left than the whole grace: shutdown(" + grace.toMillis() + " ms) must"
                        + " return once the grace is over, not before (its session threads are still running) and"
                        + " not later. The grace is for all the session threads together: take a deadline once"
                        + " (System.nanoTime() + grace.toNanos()) and join each thread with what is left of it,"
                        + " never with the whole grace for each, never without a bound, and count the grace from"
                        + " toNanos() or toMillis() (toMillisPart() is only the part below a second) " + NOTES;
                long start = System.nanoTime();
                try {
                    s.shutdown(grace, grace.plus(Duration.ofSeconds(1)));
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " " + hint, e);
                } finally {
                    s.releaseLeft();
                }
                long took = (System.nanoTime() - start) / 1_000_000;
                assertThat(took).as("how long shutdown(%d ms) took, in ms, while %d session threads had not ended"
                        + " (they were in events.left): %s", grace.toMillis(), n, hint)
                        .isGreaterThanOrEqualTo(grace.toMillis() - 50);
            }
        }

        @Test
        @DisplayName("with a grace under 1 ms and a busy session: returns at once, 0.5 ms is not 0 (for ever)")
        void treatsASubMillisecondGraceAsShort(ReferenceClients clients) throws Exception {
            Duration grace = Duration.ofNanos(500_000);
            try (StudentServer s = StudentServer.start()) {
                exchange(s, clients.connect(s.port), "快点 quick", NOTES);
                s.holdLeft();                                // the session will not end within the grace
                try {
                    s.shutdown(grace, Duration.ofSeconds(1));
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " The grace was 0.5 ms, and the session thread"
                            + " was still in events.left: shutdown() had to give up on it at once. A grace under 1 ms"
                            + " is 0 ms in toMillis(), and thread.join(0) means \"wait for ever\": when nothing is"
                            + " left of the grace, do not join at all (if (millisLeft <= 0) skip the join) " + NOTES, e);
                } finally {
                    s.releaseLeft();
                }
            }
        }

        @Test
        @DisplayName("while a client is mid-conversation: says goodbye without waiting for the replier, within the grace")
        void shutsDownMidConversation(ReferenceClients clients) throws Exception {
            Duration grace = Duration.ofMillis(500);
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient talking = clients.connect(s.port);
                ReferenceClient quiet = clients.connect(s.port);
                exchange(s, quiet, "我在听 listening", NOTES);
                talking.send(StudentServer.HOLD);
                String hint = "Client 1 was in the middle of a conversation: your server had asked the replier to"
                        + " answer it, and the replier was still thinking (as an operator typing takes a while)."
                        + " shutdown() must not wait for it beyond the grace: send the goodbye, close the socket, join"
                        + " within the grace. The lock that keeps a goodbye from mixing with an answer is held only"
                        + " while a line is written, never while the replier runs " + NOTES;
                s.awaitRepliersHeld(1, hint);
                try {
                    s.shutdown(grace, grace.plus(Duration.ofSeconds(1)));
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " " + hint, e);
                } finally {
                    s.releaseReplier();
                }
                int i = 0;
                for (ReferenceClient client : List.of(talking, quiet)) {
                    i++;
                    String line;
                    try {
                        line = client.readLine(WAIT);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(e.getMessage() + " After shutdown(), client " + i + " expected"
                                + " the goodbye line \"" + ClosingServer.GOODBYE + "\". " + hint, e);
                    }
                    assertThat(line).as("the line client %d read after shutdown(). %s", i, hint)
                            .isEqualTo(ClosingServer.GOODBYE);
                }
                s.awaitLeft(talking, "client 1, whose session was waiting for the replier at shutdown", hint);
                s.awaitLeft(quiet, "client 2, whose socket shutdown() closed", hint);
            }
        }

        @Test
        @DisplayName("of many clients at once: every one gets the goodbye and the end of the stream")
        void shutsDownManyClients(ReferenceClients clients) throws Exception {
            int n = 20;
            try (StudentServer s = StudentServer.start()) {
                List<ReferenceClient> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    all.add(clients.connect(s.port));
                }
                for (ReferenceClient client : all) {
                    exchange(s, client, "我们有 " + n + " 个", NOTES);
                }
                // 20 sessions to wake and join: a bound of its own, wide enough for a loaded machine
                // (2 s failed a correct server once at load 30), short of GRACE, which it must not wait out.
                s.shutdown(GRACE, MANY_PROMPTLY);
                int i = 0;
                for (ReferenceClient client : all) {
                    i++;
                    String line;
                    try {
                        line = client.readLine(WAIT);
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError(e.getMessage() + " After shutdown() with " + n + " clients,"
                                + " client " + i + " expected the goodbye line, then the end of the stream: every"
                                + " connected client gets both " + NOTES, e);
                    }
                    assertThat(line).as("the line client %d of %d read after shutdown() %s", i, n, NOTES)
                            .isEqualTo(ClosingServer.GOODBYE);
                    assertEndedWithFin(client.awaitEnd(WAIT), "client " + i + "'s connection", "the goodbye", NOTES);
                }
                for (ReferenceClient client : all) {
                    s.awaitLeft(client, "each of the " + n + " clients, whose socket shutdown() closed", NOTES);
                }
                assertThat(s.clients()).as("clients() after shutdown() of %d clients %s", n, NOTES).isEmpty();
            }
        }

        @Test
        @DisplayName("goes on when a client's connection is broken: a reset client does not stop the goodbyes")
        void shutsDownPastABrokenClient(ReferenceClients clients) throws Exception {
            try (StudentServer s = StudentServer.start()) {
                ReferenceClient broken = clients.connect(s.port);
                ReferenceClient fine = clients.connect(s.port);
                exchange(s, fine, "一切正常 all well", NOTES);
                broken.send(StudentServer.HOLD);
                String hint = "Client 1 reset its connection while its session was busy (the replier still thinking), so"
                        + " the goodbye written to it fails with an IOException (\"Broken pipe\" or \"Connection"
                        + " reset\"). That is one client's broken connection: shutdown() goes on with the others, and"
                        + " throws nothing (send the goodbye to each client on its own, catching its IOException) "
                        + NOTES;
                s.awaitRepliersHeld(1, hint);
                broken.reset();
                awaitGone(s.port, broken.localPort());
                try {
                    s.shutdown(Duration.ofMillis(500), Duration.ofMillis(1500));
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " " + hint, e);
                } catch (RuntimeException e) {
                    throw new AssertionFailedError("shutdown() threw " + e + ". " + hint, e);
                } finally {
                    s.releaseReplier();
                }
                String line;
                try {
                    line = fine.readLine(WAIT);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + " Client 2 expected the goodbye line. " + hint, e);
                }
                assertThat(line).as("the line client 2 read after shutdown(). %s", hint).isEqualTo(ClosingServer.GOODBYE);
                assertEndedWithFin(fine.awaitEnd(WAIT), "client 2's connection", "the goodbye", NOTES);
            }
        }

        /** Waits (bounded) until the kernel has dropped the server's end of a connection the client reset. */
        static void awaitGone(int serverPort, int clientPort) throws InterruptedException {
            if (!TcpStates.readable()) {
                return;
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (TcpStates.count(TcpStates.ESTABLISHED, serverPort, clientPort) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);                             // the kernel's table: nothing to await but polling
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
            return ask(server.address(), request, timeout);
        }

        static String ask(InetSocketAddress server, String request, Duration timeout) throws Exception {
            String call = "Requests.ask(" + StudentServer.show(server) + ", " + request.lines().count()
                    + " lines, " + timeout.toMillis() + " ms)";
            String waits = " The reference server answers only once it has read the end of your request (-1),"
                    + " like any server whose request has no length and no end marker.";
            try {
                return Student.call("calling " + call, LIMIT.plus(timeout), () -> Requests.ask(server,
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
        @DisplayName("sends the request byte for byte in UTF-8, adding nothing, a last line without its line end too")
        void sendsTheRequestAsIs(Transcript transcript) throws Exception {
            String request = "第一行 first line\n  第二行, no line end  ";
            byte[] expected = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (RequestServer server = new RequestServer(transcript, "好的\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    RequestServer.End.CLOSE)) {
                String response = ask(server.address(), request, TIMEOUT);
                byte[] got = server.request(WAIT);
                String seen = got == null ? "nothing" : "\"" + Transcript.escape(new String(got,
                        java.nio.charset.StandardCharsets.UTF_8)) + "\"";
                if (got != null && !java.util.Arrays.equals(got, expected)) {
                    String why;
                    if (new String(got, java.nio.charset.StandardCharsets.UTF_8).equals(request + "\r\n")) {
                        why = "Your code added \"\\r\\n\" after the request: println sends the platform's line"
                                + " separator (\"\\r\\n\" on Windows, where the checker runs as if it were); a request is"
                                + " sent as it is, write(request.getBytes(UTF_8)).";
                    } else if (java.util.Arrays.equals(got, request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
                        why = "The Chinese characters arrived as \"?\": the request was encoded in the platform's"
                                + " default charset (getBytes() or a Writer without a charset). Name UTF-8:"
                                + " request.getBytes(StandardCharsets.UTF_8).";
                    } else {
                        why = "Send exactly the request's characters, in UTF-8, and nothing else.";
                    }
                    throw new AssertionFailedError("The reference server received " + seen + " (" + got.length
                            + " bytes), but the request was \"" + Transcript.escape(request) + "\" (" + expected.length
                            + " bytes in UTF-8). " + why + " " + NOTES);
                }
                assertThat(got).as("the request as the reference server read it up to -1 %s", NOTES).isNotNull();
                assertThat(response).as("what Requests.ask returned %s", NOTES).isEqualTo("好的\n");
            }
        }

        @Test
        @DisplayName("bounds each read by the timeout exactly: 1.2 s is not 200 ms, 0.5 ms is not 0 (for ever)")
        void boundsEachReadByTheTimeout(Transcript transcript) throws Exception {
            for (Duration timeout : List.of(Duration.ofMillis(1200), Duration.ofNanos(500_000))) {
                String shown = timeout.toNanos() < 1_000_000 ? "0.5 ms" : timeout.toMillis() + " ms";
                String hint = "The timeout is a Duration: " + shown + " is " + timeout.toNanos() + " ns. Take all of it:"
                        + " toMillis(), never toMillisPart() (the milliseconds below a whole second only) or toSeconds();"
                        + " and round a positive timeout under 1 ms up to 1 ms, since 0 means \"wait for ever\" to"
                        + " connect() and setSoTimeout() " + NOTES;
                try (RequestServer server = new RequestServer(transcript, "半".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        RequestServer.End.STALL)) {
                    long start = System.nanoTime();
                    try {
                        String response = Student.call("calling Requests.ask with a timeout of " + shown + ", on a"
                                + " server that sends part of its response and then stalls", LIMIT.plus(timeout),
                                () -> Requests.ask(server.address(), "stall after a part\n", timeout));
                        fail("Requests.ask(timeout %s) returned \"%s\" from a server that sent part of its response and"
                                + " then neither sent more nor closed: a read that waits longer than the timeout must"
                                + " throw SocketTimeoutException; what arrived before a timeout is not the whole"
                                + " response (only -1 says it is complete) %s", shown, Transcript.escape(response), NOTES);
                    } catch (SocketTimeoutException expected) {
                        long took = (System.nanoTime() - start) / 1_000_000;
                        if (timeout.toMillis() >= 1000) {
                            assertThat(took).as("how long Requests.ask(timeout %s) waited, in ms, before its"
                                    + " SocketTimeoutException. %s", shown, hint)
                                    .isGreaterThanOrEqualTo(timeout.toMillis() - 50);
                        }
                    } catch (AssertionFailedError e) {
                        if (e.getMessage() == null || !e.getMessage().startsWith("Your code was still")) {
                            throw e;
                        }
                        throw new AssertionFailedError(e.getMessage() + " " + hint, e);
                    }
                }
            }
        }

        @Test
        @DisplayName("bounds the connect by the timeout: a server whose backlog is full")
        void boundsTheConnect() throws Exception {
            Duration timeout = Duration.ofMillis(300);
            try (Loopback.FullBacklog full = Loopback.fullBacklog()) {
                try {
                    Student.call("calling Requests.ask(timeout 300 ms) on a server whose backlog is full", LIMIT,
                            () -> Requests.ask(full.address(), "hello?\n", timeout));
                    fail("Requests.ask returned from a server whose connect cannot complete %s", NOTES);
                } catch (SocketTimeoutException expected) {
                    // "Connect timed out"; nothing may stay open: the leak check after this check sees to it
                } catch (AssertionFailedError e) {
                    if (e.getMessage() == null || !e.getMessage().startsWith("Your code was still")) {
                        throw e;
                    }
                    throw new AssertionFailedError(e.getMessage() + " The timeout bounds the connect too:"
                            + " socket.connect(server, millis), not new Socket(host, port) " + NOTES, e);
                }
            }
        }

        @Test
        @DisplayName("throws when the connect is refused, and leaves nothing open")
        void throwsWhenRefused() throws Exception {
            InetSocketAddress nobody = Loopback.closedPort();
            try {
                String response = Student.call("calling Requests.ask on " + StudentServer.show(nobody) + ", where"
                        + " nobody listens", LIMIT, () -> Requests.ask(nobody, "hello?\n", TIMEOUT));
                fail("Requests.ask on %s, where nobody listens, returned \"%s\": let the ConnectException through %s",
                        StudentServer.show(nobody), Transcript.escape(response), NOTES);
            } catch (java.net.ConnectException expected) {
                // "Connection refused"; the leak check after this check looks for the socket
            }
        }

        @Test
        @DisplayName("throws when the server resets in the middle of the response, and leaves nothing open")
        void throwsOnAResetMidway(Transcript transcript) throws Exception {
            try (RequestServer server = new RequestServer(transcript, "前一半 the first half, then".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), RequestServer.End.RESET)) {
                try {
                    String response = Student.call("calling Requests.ask on a server that resets in the middle of its"
                            + " response", LIMIT, () -> Requests.ask(server.address(), "reset me\n", TIMEOUT));
                    fail("Requests.ask returned \"%s\" from a server that reset the connection (RST) in the middle of"
                            + " its response: a reset is not the end of the response (-1), the response is incomplete;"
                            + " let the SocketException through %s", Transcript.escape(response), NOTES);
                } catch (SocketException expected) {
                    // "Connection reset"; the leak check after this check looks for the socket
                }
            }
        }

        @Test
        @DisplayName("rejects a timeout that is not positive, and opens nothing")
        void rejectsATimeoutThatIsNotPositive() throws Exception {
            InetSocketAddress nobody = Loopback.closedPort();
            Problems problems = new Problems();
            problems.expectEachNotPositiveTimeoutRefused(t -> "Requests.ask(" + StudentServer.show(nobody) + ", \"hi\", " + t + ")",
                    LIMIT, t -> Requests.ask(nobody, "hi\n", t));
            problems.assertNone(NOTES + " (check the argument before you create the socket)");
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
