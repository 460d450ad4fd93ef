package org.tcpworkbook.lab6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.RoomProtocol;
import org.tcpworkbook.kit.EventLog;
import org.tcpworkbook.kit.Gate;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Threads;
import org.tcpworkbook.kit.Transcript;

@DisplayName("Lab 6: the chat room")
@ExtendWith(Peers.class)
class Lab6Test {
    static final Duration LIMIT = StudentRoom.LIMIT;
    static final Duration WAIT = StudentRoom.PROMPT;
    /** The queue limit of the checks' rooms (lines per member). */
    static final int QUEUE = 16;

    static String said(String nick, String text) {
        return RoomProtocol.said(nick, text);
    }

    /** The room's next line for {@code peer} must be {@code expected}. */
    static void expectNext(RoomPeer peer, String expected, String after, String notes) throws InterruptedException {
        String line;
        try {
            line = peer.next(WAIT, "\"" + expected + "\" (" + after + ")");
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError(e.getMessage() + " " + notes, e);
        }
        if (!line.equals(expected)) {
            throw new AssertionFailedError(peer.who + " expected \"" + Transcript.escape(expected) + "\" (" + after
                    + "), got \"" + Transcript.escape(line) + "\" " + notes, expected, line);
        }
    }

    /** Nothing more for {@code peer}, checked by a line sent after: the next line it gets must be that one. */
    static void expectNothingBefore(RoomPeer peer, String marker, String what, String notes) throws InterruptedException {
        String line = peer.next(WAIT, "\"" + marker + "\"");
        if (!line.equals(marker)) {
            throw new AssertionFailedError(peer.who + " received \"" + Transcript.escape(line) + "\" " + what
                    + " (it was waiting for \"" + marker + "\", which came after) " + notes);
        }
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: ChatRoom.serve, members")
    class Task1 {
        static final String NOTES = Notes.see("lab6", "task-room");

        @Test
        @DisplayName("welcomes a member, announces it, and sends each message to every other member, not its sender")
        void talks() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann")) {
                s.events.await("joined ann"::equals, WAIT, "events.joined(\"ann\")", NOTES);
                try (RoomPeer bob = RoomPeer.connect("bob", s.port)) {
                    expectNext(bob, RoomProtocol.NICK_PROMPT, "the first line of a connection", NOTES);
                    bob.send("bob");
                    expectNext(bob, RoomProtocol.welcome("bob", List.of("ann")), "bob joined with ann in the room", NOTES);
                    expectNext(ann, RoomProtocol.joined("bob"), "bob joined", NOTES);
                    assertThat(s.members()).as("members() with ann, then bob in the room %s", NOTES)
                            .containsExactly("ann", "bob");
                    ann.send("你好 bob");
                    expectNext(bob, said("ann", "你好 bob"), "ann said it", NOTES);
                    bob.send("hi ann");
                    expectNext(ann, said("bob", "hi ann"), "bob said it, and ann's own line never comes back to"
                            + " her", NOTES);
                    bob.send("/who");
                    expectNext(bob, RoomProtocol.who(List.of("ann", "bob")), "bob asked /who", NOTES);
                    bob.send("/nick 小明");
                    expectNext(bob, RoomProtocol.renamed("bob", "小明"), "bob renamed himself", NOTES);
                    expectNext(ann, RoomProtocol.renamed("bob", "小明"), "bob renamed himself", NOTES);
                    ann.send("still there?");
                    expectNext(bob, said("ann", "still there?"), "ann said it", NOTES);
                    bob.send("/quit");
                    expectNext(bob, RoomProtocol.BYE, "bob quit", NOTES);
                    expectNext(bob, RoomPeer.EOF, "bob quit: then the room closes his connection", NOTES);
                    expectNext(ann, RoomProtocol.left("小明"), "bob (now 小明) quit", NOTES);
                    s.events.await("left 小明: quit"::equals, WAIT, "events.left(\"小明\", \"quit\")", NOTES);
                    assertThat(s.members()).as("members() once 小明 quit %s", NOTES).containsExactly("ann");
                }
            }
        }

        @Test
        @DisplayName("answers what is not a message with an error line, to its sender only, and goes on")
        void refusesWhatIsNoMessage() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann");
                 RoomPeer bob = RoomPeer.connect("bob", s.port)) {
                Problems problems = new Problems();
                expectNext(bob, RoomProtocol.NICK_PROMPT, "the first line of a connection", NOTES);
                String[][] nicks = {{"ann", RoomProtocol.NICK_TAKEN}, {"bad nick", RoomProtocol.NICK_INVALID},
                        {"/who", RoomProtocol.NICK_INVALID}, {"", RoomProtocol.NICK_INVALID},
                        {"abcdefghijklmnopq", RoomProtocol.NICK_INVALID}};
                for (String[] nick : nicks) {
                    bob.send(nick[0]);
                    String got = bob.next(WAIT, "the answer to the nickname \"" + nick[0] + "\"");
                    if (!got.equals(nick[1])) {
                        problems.add("the nickname \"" + nick[0] + "\" was answered \"" + Transcript.escape(got)
                                + "\", expected \"" + nick[1] + "\"");
                    }
                }
                bob.send("abcdefghijklmnop");                 // 16: the longest
                expectNext(bob, RoomProtocol.welcome("abcdefghijklmnop", List.of("ann")), "a nickname of 16 letters",
                        NOTES);
                RoomPeer b = bob;
                String[][] lines = {{"", RoomProtocol.EMPTY}, {"/dance", RoomProtocol.UNKNOWN_COMMAND},
                        {"/nick ann", RoomProtocol.NICK_TAKEN}, {"/nick two words", RoomProtocol.NICK_INVALID},
                        {"x".repeat(ChatProtocol.MAX_LINE_BYTES - 10), RoomProtocol.TOO_LONG_TO_SAY}};
                for (String[] line : lines) {
                    b.send(line[0]);
                    String got = b.next(WAIT, "the answer to \"" + Transcript.escape(shorten(line[0])) + "\"");
                    if (!got.equals(line[1])) {
                        problems.add("\"" + Transcript.escape(shorten(line[0])) + "\" was answered \""
                                + Transcript.escape(shorten(got)) + "\", expected \"" + line[1] + "\"");
                    }
                }
                b.send("done");
                String first = ann.await(l -> !l.equals(RoomProtocol.joined("abcdefghijklmnop")), WAIT,
                        "bob's \"done\"");
                if (!first.equals(said("abcdefghijklmnop", "done"))) {
                    problems.add("ann received \"" + Transcript.escape(shorten(first)) + "\": an error line or a refused"
                            + " line went to the other members, where only its sender should hear of it");
                }
                problems.assertNone(NOTES);
            }
        }

        @Test
        @DisplayName("ends only the connection of a line too long (LINE_TOO_LONG), and tells the others it left")
        void lineTooLong() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann");
                 RoomPeer bob = s.join("bob")) {
                expectNext(ann, RoomProtocol.joined("bob"), "bob joined", NOTES);
                bob.sendBytes(("y".repeat(ChatProtocol.MAX_LINE_BYTES + 1)).getBytes(ChatProtocol.CHARSET));
                expectNext(bob, ChatProtocol.LINE_TOO_LONG, "bob sent a line of MAX_LINE_BYTES + 1 bytes", NOTES);
                expectNext(bob, RoomPeer.EOF, "after LINE_TOO_LONG the room closes that connection", NOTES);
                expectNext(ann, RoomProtocol.left("bob"), "bob's connection ended", NOTES);
                s.events.await(e -> e.startsWith("left bob"), WAIT, "events.left(\"bob\", ...)", NOTES);
                try (RoomPeer cy = s.join("cy")) {
                    cy.send("hello");
                    expectNext(ann, RoomProtocol.joined("cy"), "cy joined", NOTES);
                    expectNext(ann, said("cy", "hello"), "cy said it: the room goes on", NOTES);
                }
            }
        }

        @Test
        @DisplayName("removes at once a member that closes or resets its connection")
        void removesWhoGoes() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann")) {
                for (boolean reset : new boolean[] {false, true}) {
                    String nick = reset ? "resets" : "closes";
                    RoomPeer p = s.join(nick);
                    expectNext(ann, RoomProtocol.joined(nick), nick + " joined", NOTES);
                    if (reset) {
                        p.reset();
                    }
                    p.close();
                    expectNext(ann, RoomProtocol.left(nick), nick + (reset ? " reset" : " closed") + " its connection",
                            NOTES);
                    s.events.await(e -> e.startsWith("left " + nick + ":"), WAIT, "events.left(\"" + nick + "\", ...)",
                            NOTES);
                    assertThat(s.members()).as("members() after %s %s", reset ? "a reset" : "a close", NOTES)
                            .containsExactly("ann");
                }
            }
        }
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "... (" + s.length() + " chars)" : s;
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: broadcast by many threads")
    class Task2 {
        static final String NOTES = Notes.see("lab6", "task-broadcast");
        static final int MEMBERS = 50;
        static final int LINES = 4;

        @Test
        @DisplayName("50 members at once: every line to every other member exactly once, never to its sender, in order")
        void fiftyMembers() throws Exception {
            List<RoomPeer> peers = new ArrayList<>();
            try (StudentRoom s = StudentRoom.start(QUEUE * 40)) {
                try {
                    for (int i = 0; i < MEMBERS; i++) {
                        peers.add(s.join("m" + i));
                    }
                    for (int k = 0; k < LINES; k++) {            // every member speaks: the room's threads at once
                        for (RoomPeer p : peers) {
                            p.send(p.who + " #" + k);
                        }
                    }
                    Problems problems = new Problems();
                    for (int i = 0; i < MEMBERS; i++) {
                        RoomPeer p = peers.get(i);
                        // every other member's lines (and the joins of the later members)
                        List<String> got = p.awaitCount((MEMBERS - 1) * LINES, l -> !l.startsWith("*** "),
                                Duration.ofSeconds(5));
                        check(p, got, MEMBERS - 1 - i, problems);
                    }
                    problems.assertNone(NOTES);
                } finally {
                    for (RoomPeer p : peers) {
                        p.close();
                    }
                }
            }
        }

        private void check(RoomPeer p, List<String> got, int joins, Problems problems) {
            Map<String, Integer> next = new HashMap<>();
            int messages = 0;
            List<String> news = new ArrayList<>();
            for (String line : got) {
                if (line.startsWith("*** ")) {
                    if (!line.equals(RoomProtocol.NICK_PROMPT) && !line.startsWith("*** 欢迎 welcome ")) {
                        news.add(line);                          // not its own prompt and welcome
                    }
                    continue;
                }
                if (line == RoomPeer.EOF || line == RoomPeer.RESET) {
                    problems.add(p.who + "'s connection ended (" + line + ") in the middle of the chat");
                    return;
                }
                messages++;
                int close = line.indexOf("] ");
                String from = line.startsWith("[") && close > 0 ? line.substring(1, close) : null;
                if (from == null || !line.substring(close + 2).startsWith(from + " #")) {
                    problems.add(p.who + " received \"" + Transcript.escape(shorten(line)) + "\": not a whole line"
                            + " [nick] text of one member (two threads wrote into one stream at once?)");
                    return;
                }
                if (from.equals(p.who)) {
                    problems.add(p.who + " received its own line \"" + line + "\": a message goes to every other"
                            + " member, never back to its sender");
                    return;
                }
                int k = Integer.parseInt(line.substring(line.indexOf('#') + 1));
                int want = next.getOrDefault(from, 0);
                if (k != want) {
                    problems.add(p.who + " received \"" + line + "\" when " + from + "'s line #" + want + " was due: "
                            + (k < want ? "a line twice" : "out of the order " + from + " sent them in, or one lost"));
                    return;
                }
                next.put(from, k + 1);
            }
            int want = (MEMBERS - 1) * LINES;
            if (messages != want) {
                problems.add(p.who + " received " + messages + " of the " + want + " messages of the other " + (MEMBERS - 1)
                        + " members within 5 s");
            }
            List<String> joined = news.stream().filter(l -> l.endsWith(" 加入 joined")).toList();
            if (joined.size() != joins || news.size() != joins) {
                problems.add(p.who + " received " + news.size() + " lines of news where it expected the joins of the "
                        + joins + " members who came after it, and nothing else: " + RoomPeer.shown(news)
                        + " (a join is announced to the members the newcomer's welcome names: no more, no less)");
            }
        }

        @Test
        @DisplayName("two members claiming one nickname at once: exactly one gets it (claiming held)")
        void nicknameRace() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer first = RoomPeer.connect("first", s.port);
                 RoomPeer second = RoomPeer.connect("second", s.port)) {
                s.holdFirstClaim();
                try {
                    expectNext(first, RoomProtocol.NICK_PROMPT, "the first line of a connection", NOTES);
                    expectNext(second, RoomProtocol.NICK_PROMPT, "the first line of a connection", NOTES);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError(e.getMessage() + s.endedEarly(), e);
                }
                first.send("同名");
                s.claimGate.awaitHeld(1, WAIT, "events.claiming(..., \"同名\") from the first member (on its thread,"
                        + " before the room decides) " + NOTES);
                second.send("同名");
                String secondGot = second.next(WAIT, "the answer to the second claim of \"同名\", while the first"
                        + " claim was held in events.claiming");
                s.claimGate.open();
                String firstGot = first.next(WAIT, "the answer to the first claim of \"同名\"");
                int welcomes = (secondGot.startsWith("*** 欢迎") ? 1 : 0) + (firstGot.startsWith("*** 欢迎") ? 1 : 0);
                if (welcomes != 1) {
                    throw new AssertionFailedError("two members claimed \"同名\" at once (the first held in"
                            + " events.claiming while the second claimed): the first got \"" + firstGot + "\", the"
                            + " second \"" + secondGot + "\". Exactly one must get the nickname, the other NICK_TAKEN:"
                            + " check and take a nickname in one step (under one lock, or putIfAbsent): checking"
                            + " before the claim and taking after it is a check-then-act race " + NOTES);
                }
                assertThat(s.members()).as("members() after two claims of one nickname %s", NOTES)
                        .containsExactly("同名");
            }
        }

        @Test
        @DisplayName("a member that leaves in the middle of a broadcast is removed at once; the broadcast goes on")
        void leavesMidBroadcast() throws Exception {
            midBroadcast(false);
        }

        @Test
        @DisplayName("a member that resets in the middle of a broadcast is removed at once; the broadcast goes on")
        void resetsMidBroadcast() throws Exception {
            midBroadcast(true);
        }

        private void midBroadcast(boolean reset) throws Exception {
            String how = reset ? "reset" : "closed";
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann");
                 RoomPeer bob = s.join("bob");
                 RoomPeer cy = s.join("cy");
                 RoomPeer dee = s.join("dee")) {
                expectNext(bob, RoomProtocol.joined("cy"), "cy joined", NOTES);
                expectNext(bob, RoomProtocol.joined("dee"), "dee joined", NOTES);
                String held = said("ann", "wait for it");
                s.holdDelivering(held::equals);
                ann.send("wait for it");
                s.deliverGate.awaitHeld(1, WAIT, "events.delivering(\"ann\", ..., \"" + held + "\"): ann's broadcast "
                        + NOTES);
                if (reset) {
                    cy.reset();
                } else {
                    cy.close();
                }
                try {
                    s.events.await(e -> e.startsWith("left cy:"), WAIT, "events.left(\"cy\", ...) after cy " + how
                            + " its connection, while ann's broadcast was held in events.delivering: a member that"
                            + " goes is removed at once, whatever the others' threads are doing. A broadcast that"
                            + " holds the room's lock while it delivers keeps cy's thread from removing it", NOTES);
                } finally {
                    s.releaseDelivering();
                }
                for (RoomPeer p : List.of(bob, dee)) {              // cy's "left" may come before or after
                    String got = p.await(l -> !l.equals(RoomProtocol.left("cy")), WAIT, "ann's held line, after cy "
                            + how + " (a loop over the members that fails when one is removed meanwhile stops short) "
                            + NOTES);
                    assertThat(got).as("what %s got after ann's broadcast was released %s", p.who, NOTES)
                            .isEqualTo(said("ann", "wait for it"));
                }
                ann.send("/who");
                String who = ann.await(l -> l.startsWith("*** 在线"), WAIT, "the answer to /who: ann is still in the"
                        + " room after her broadcast");
                assertThat(who).as("/who after cy %s %s", how, NOTES).isEqualTo(RoomProtocol.who(List.of("ann", "bob", "dee")));
            }
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: a bounded queue per member")
    class Task3 {
        static final String NOTES = Notes.see("lab6", "task-slow");
        /** The room must drop the slow member before the speaker sent this many lines. */
        static final int MAX_LINES = 6000;
        static final int LINE_BYTES = 2000;
        /** The bound stated in the notes: no line reaches a reading member later than this, whoever does not read. */
        static final Duration BOUND = Duration.ofSeconds(2);

        @Test
        @DisplayName("rejects a queue limit below 1")
        void rejectsNoQueue() throws Exception {
            Problems problems = new Problems();
            for (int limit : new int[] {0, -1}) {
                try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    problems.expectIllegalArgument("new ChatRoom(listener, " + limit + ")", LIMIT,
                            () -> new ChatRoom(listener, limit));
                }
            }
            problems.assertNone(NOTES);
        }

        @Test
        @DisplayName("drops a member that stops reading, and nobody else waits for it (a line within 2 s)")
        void dropsTheSlowReader() throws Exception {
            try (StudentRoom s = StudentRoom.start(QUEUE);
                 RoomPeer ann = s.join("ann");
                 RoomPeer bob = s.join("bob");
                 RoomPeer slow = RoomPeer.slow("slow", s.port, 2048)) {
                slow.joinAsSlow("slow", WAIT);
                expectNext(bob, RoomProtocol.joined("slow"), "slow joined", NOTES);
                expectNext(ann, RoomProtocol.joined("bob"), "bob joined", NOTES);
                expectNext(ann, RoomProtocol.joined("slow"), "slow joined", NOTES);
                String body = "z".repeat(LINE_BYTES);
                int sent = 0;
                boolean dropped = false;
                while (sent < MAX_LINES && !dropped && !(sent % 50 == 49 && s.events.has(e -> e.startsWith("left slow")))) {
                    String text = sent + " " + body;
                    ann.send(text);
                    sent++;
                    String got;
                    try {
                        got = bob.next(BOUND, "ann's line " + (sent - 1));
                    } catch (AssertionFailedError e) {
                        throw new AssertionFailedError("bob, who reads, did not get ann's line " + (sent - 1) + " within "
                                + BOUND.toMillis() + " ms, while a member that does not read (slow) was in the room:"
                                + " the room waited for slow. Never write to a member's socket from another member's"
                                + " thread, nor while holding a lock the room needs; put the line in slow's bounded"
                                + " queue, and drop slow when it is full " + NOTES, e);
                    }
                    if (got.equals(RoomProtocol.dropped("slow"))) {
                        dropped = true;
                        got = bob.next(BOUND, "ann's line " + (sent - 1) + ", after the drop notice");
                    }
                    if (!got.startsWith(said("ann", (sent - 1) + " "))) {
                        throw new AssertionFailedError("bob expected ann's line " + (sent - 1) + ", got \""
                                + shorten(got) + "\" " + NOTES);
                    }
                }
                if (!dropped && s.events.has(e -> e.startsWith("left slow"))) {
                    try {                                   // the notice may still be on its way
                        bob.await(RoomProtocol.dropped("slow")::equals, WAIT, "the drop notice");
                        dropped = true;
                    } catch (AssertionFailedError e) {
                        dropped = false;
                    }
                }
                if (!dropped && s.events.has(e -> e.startsWith("left slow"))) {
                    throw new AssertionFailedError("the room dropped slow (events.left(\"slow\", ...)), but bob, still"
                            + " in the room, was never told: a member dropped for reading too slowly is announced to"
                            + " the others with RoomProtocol.dropped (\"" + RoomProtocol.dropped("slow") + "\") " + NOTES);
                }
                if (!dropped) {
                    throw new AssertionFailedError("ann sent " + MAX_LINES + " lines of " + LINE_BYTES + " bytes ("
                            + MAX_LINES * LINE_BYTES / 1_000_000 + " MB) while slow read nothing, and the room never"
                            + " dropped slow (bob got no \"" + RoomProtocol.dropped("slow") + "\"): its queue must hold"
                            + " at most " + QUEUE + " lines (the limit given to the constructor); an unbounded queue"
                            + " grows for ever " + NOTES);
                }
                s.events.await(e -> e.startsWith("left slow: dropped"), WAIT,
                        "events.left(\"slow\", \"dropped: reads too slowly\")", NOTES);
                assertThat(s.members()).as("members() after slow was dropped %s", NOTES).containsExactly("ann", "bob");
                ann.send("after the drop");
                bob.await(said("ann", "after the drop")::equals, WAIT, "ann's line after the drop");
                slow.drainToEnd(Duration.ofSeconds(5), NOTES);
            }
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: ChatRoom.close")
    class Task4 {
        static final String NOTES = Notes.see("lab6", "task-stop");

        @Test
        @DisplayName("says goodbye to every member, while they chat, and joins every thread (events.left takes 300 ms)")
        void stopsWhileBusy() throws Exception {
            List<RoomPeer> peers = new ArrayList<>();
            StudentRoom s = StudentRoom.start(QUEUE * 4);
            try {
                Threads before = Threads.now();
                for (int i = 0; i < 8; i++) {
                    peers.add(s.join("p" + i));
                }
                for (int k = 0; k < 5; k++) {
                    for (RoomPeer p : peers) {
                        p.send("busy " + k);
                    }
                }
                s.slowLeft();
                s.stopRoom();
                Problems problems = new Problems();
                for (RoomPeer p : peers) {
                    List<String> got = p.awaitCount(Integer.MAX_VALUE, WAIT);
                    int end = got.size() - 1;
                    if (end < 1 || got.get(end) != RoomPeer.EOF || !got.get(end - 1).equals(RoomProtocol.GOODBYE)) {
                        problems.add(p.who + " got " + RoomPeer.shown(got) + "; every member gets \""
                                + RoomProtocol.GOODBYE + "\" as its last line, then the end of the stream");
                    }
                }
                List<String> late = s.events.all().stream().filter(e -> e.startsWith("late ")).toList();
                if (!late.isEmpty()) {
                    problems.add("close() returned while members' threads were still running (in events.left,"
                            + " which took 300 ms): " + late + ". close() joins every thread it started");
                }
                List<String> running = before.started().stream().filter(t -> !t.getName().startsWith("checker-peer-"))
                        .map(Threads::describe).toList();       // the checker's own members end on their own
                problems.verify(() -> assertThat(running).as("threads of the room still running after close()"
                        + " returned").isEmpty());
                problems.assertNone(NOTES);
            } finally {
                for (RoomPeer p : peers) {
                    p.close();
                }
                s.close();
            }
        }
    }

    @Nested
    @Tag("task-5")
    @DisplayName("Task 5: RoomClient.chat")
    class Task5 {
        static final String NOTES = Notes.see("lab6", "task-client");

        /** The checker's side of one client: a room of its own, a keyboard it types on, a screen it reads. */
        final class Bench implements AutoCloseable {
            final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            final Socket clientSocket = new Socket();
            final Socket room;
            final InputStream fromClient;
            final LineReader reader;
            final PipedWriter keys = new PipedWriter();
            final BufferedReader keyboard = new BufferedReader(new PipedReader(keys));
            final EventLog screen = new EventLog();
            final Gate showGate = new Gate(StudentRoom.HOLD_LIMIT);
            final AtomicInteger showing = new AtomicInteger();
            volatile String overlap;
            final Student.Running<Void> chat;

            Bench() throws Exception {
                clientSocket.connect(listener.getLocalSocketAddress(), 2000);
                room = listener.accept();
                room.setSoTimeout((int) WAIT.toMillis());
                fromClient = room.getInputStream();
                reader = new LineReader(fromClient);
                chat = Student.start("running RoomClient.chat", () -> {
                    try {
                        RoomClient.chat(clientSocket, keyboard, line -> {
                            if (showing.incrementAndGet() > 1) {
                                overlap = line;
                            }
                            try {
                                screen.record(line);
                                if (!line.startsWith("(")) {
                                    showGate.pass();
                                }
                            } finally {
                                showing.decrementAndGet();
                            }
                        });
                    } catch (UnsupportedOperationException skeleton) {
                        // The skeleton's: each wait of the check ends now, with this, not after its limit.
                        String why = "RoomClient.chat ended: Not implemented yet: " + skeleton.getMessage();
                        screen.end(why, skeleton);
                        showGate.end(why, skeleton);
                        clientSocket.shutdownOutput();        // the room reads the end; what it says still goes through
                        throw skeleton;
                    }
                    return null;
                });
            }

            /** What chat() did if it ended already ("" while it runs). */
            String early() {
                if (!chat.isDone()) {
                    return "";
                }
                try {
                    chat.await(Duration.ZERO);
                    return " (chat() had returned already)";
                } catch (Throwable t) {
                    return " (chat() had ended: " + t.getMessage() + ")";
                }
            }

            String shown(java.util.function.Predicate<String> wanted, Duration limit, String waitingFor, String hint)
                    throws InterruptedException {
                try {
                    return screen.await(wanted, limit, waitingFor, hint);
                } catch (AssertionFailedError e) {
                    if (e.getCause() instanceof UnsupportedOperationException) {
                        throw e;                              // the skeleton's chat(): the message says so
                    }
                    throw new AssertionFailedError(e.getMessage() + early(), e);
                }
            }

            void type(String line) throws IOException {
                keys.write(line + "\n");
                keys.flush();
            }

            void say(String line) throws IOException {
                room.getOutputStream().write((line + "\n").getBytes(ChatProtocol.CHARSET));
                room.getOutputStream().flush();
            }

            String received(String waitingFor) throws IOException, InterruptedException {
                try {
                    String line = reader.readLine();
                    if (line == null) {
                        chat.awaitDone(WAIT);                 // a client that ended its stream is ending: say how
                        throw new AssertionFailedError("the room expected " + waitingFor + " from the client, but the"
                                + " client ended its stream " + NOTES + early());
                    }
                    return line;
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionFailedError("the room waited " + WAIT.toMillis() + " ms for " + waitingFor
                            + " from the client, and nothing came: send each typed line at once, with \\n, and"
                            + " flush " + NOTES + early());
                }
            }

            void awaitReturn(String after) throws Exception {
                try {
                    chat.await(WAIT);
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError("chat() did not return after " + after + ": " + e.getMessage() + " "
                            + NOTES, e);
                }
                assertThat(clientSocket.isClosed()).as("the client's socket once chat() returned (%s) %s", after, NOTES)
                        .isTrue();
            }

            @Override
            public void close() throws Exception {
                showGate.open();
                keys.close();                                 // the keyboard ends: its thread ends
                room.close();
                listener.close();
                clientSocket.close();
                try {
                    chat.await(WAIT);
                } catch (Exception | AssertionError ignored) {
                    // the check's own verdict stands
                }
            }
        }

        @Test
        @DisplayName("shows the room's lines as they come, while the user types nothing (full duplex)")
        void showsWhileSilent() throws Exception {
            try (Bench b = new Bench()) {
                b.say(RoomProtocol.NICK_PROMPT);
                b.say(said("ann", "你好"));
                b.shown(RoomProtocol.NICK_PROMPT::equals, WAIT, "the room's first line on the screen",
                        "Show each line from the room as it arrives, on a thread that does not wait for the keyboard "
                                + NOTES);
                b.shown(said("ann", "你好")::equals, WAIT, "the room's second line on the screen (UTF-8)", NOTES);
                b.type("bob");
                assertThat(b.received("the typed nickname")).as("what the room received after the user typed bob %s",
                        NOTES).isEqualTo("bob");
            }
        }

        @Test
        @DisplayName("sends what the user types at once, while the room says nothing; refuses a line too long")
        void sendsWhileRoomSilent() throws Exception {
            try (Bench b = new Bench()) {
                b.type("第一 line");
                assertThat(b.received("the first typed line")).as("what the room received %s", NOTES)
                        .isEqualTo("第一 line");
                b.type("x".repeat(ChatProtocol.MAX_LINE_BYTES + 1));
                b.shown(RoomClient.TOO_LONG::equals, WAIT, "RoomClient.TOO_LONG on the screen after the user"
                        + " typed a line of MAX_LINE_BYTES + 1 bytes", "Do not send it; say so " + NOTES);
                b.type("next");
                assertThat(b.received("the line typed after the one too long")).as("what the room received next: the"
                        + " line too long must not be sent %s", NOTES).isEqualTo("next");
            }
        }

        @Test
        @DisplayName("never shows two lines at once (a room line held on the screen while the keyboard has news)")
        void oneLineAtATime() throws Exception {
            try (Bench b = new Bench()) {
                b.showGate.shut();
                b.say(said("ann", "held"));
                b.showGate.awaitHeld(1, WAIT, "screen.show(\"" + said("ann", "held") + "\") " + NOTES);
                b.type("y".repeat(ChatProtocol.MAX_LINE_BYTES + 1));   // the keyboard thread wants to show TOO_LONG
                awaitOverlapOrWaiter(b);
                String seen = b.overlap;
                b.showGate.open();
                b.shown(RoomClient.TOO_LONG::equals, WAIT, "RoomClient.TOO_LONG after the held line", NOTES);
                assertThat(seen).as("a line shown while screen.show was still showing another (the room's line was"
                        + " held in screen.show while the keyboard thread had TOO_LONG to show): two threads print"
                        + " on one screen, so guard screen.show with one lock %s", NOTES).isNull();
            }
        }

        /**
         * Waits (bounded) until the keyboard thread either shows a line while the held one is being
         * shown, or waits for the screen's lock: a thread of the client's, not the held one, blocked on
         * a monitor or parked on a lock, inside RoomClient, not reading the keyboard.
         */
        private void awaitOverlapOrWaiter(Bench b) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (b.overlap == null && System.nanoTime() < deadline) {
                for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                    Thread t = e.getKey();
                    List<StackTraceElement> stack = List.of(e.getValue());
                    boolean inClient = stack.stream().anyMatch(f -> f.getClassName().startsWith(RoomClient.class.getName()));
                    boolean reading = stack.stream().anyMatch(f -> f.getClassName().startsWith("java.io."));
                    boolean held = stack.stream().anyMatch(f -> f.getClassName().equals(Gate.class.getName()));
                    Thread.State state = t.getState();
                    boolean waitsForLock = state == Thread.State.BLOCKED || state == Thread.State.WAITING
                            && !stack.isEmpty() && stack.get(0).getClassName().equals("jdk.internal.misc.Unsafe");
                    if (inClient && !reading && !held && waitsForLock) {
                        return;                                   // it waits for the screen: no overlap can come
                    }
                }
                Thread.sleep(5);                                  // polling thread states: nothing to await
            }
        }

        @Test
        @DisplayName("quits on /quit: sends it, then the end of its stream; shows the room's last lines and returns")
        void quits() throws Exception {
            for (String quit : List.of("/quit", "关闭")) {
                try (Bench b = new Bench()) {
                    b.type(quit);
                    assertThat(b.received("the quit word")).as("what the room received %s", NOTES).isEqualTo(quit);
                    String end;
                    try {
                        end = b.reader.readLine();
                    } catch (java.net.SocketTimeoutException e) {
                        end = "(nothing within " + WAIT.toMillis() + " ms)";
                    }
                    assertThat(end).as("what the room read after the quit word %s: the end of the client's stream"
                            + " (shutdownOutput), so the room knows nothing more comes %s", quit, NOTES).isNull();
                    b.say(RoomProtocol.BYE);
                    b.room.close();
                    b.shown(RoomProtocol.BYE::equals, WAIT, "the room's BYE on the screen", NOTES);
                    b.shown(RoomClient.CLOSED::equals, WAIT, "RoomClient.CLOSED once the room closed", NOTES);
                    b.awaitReturn("the user quit with " + quit + " and the room closed");
                }
            }
        }

        @Test
        @DisplayName("returns when the room closes or resets, while the user types nothing")
        void roomGoes() throws Exception {
            for (boolean reset : new boolean[] {false, true}) {
                try (Bench b = new Bench()) {
                    b.say(RoomProtocol.GOODBYE);
                    if (reset) {
                        b.room.setSoLinger(true, 0);
                    }
                    b.room.close();
                    b.shown(RoomProtocol.GOODBYE::equals, WAIT, "the room's last line on the screen", NOTES);
                    String shown = reset ? RoomClient.RESET : RoomClient.CLOSED;
                    b.shown(shown::equals, WAIT, "\"" + shown + "\" once the room " + (reset ? "reset" : "closed")
                            + " the connection", NOTES);
                    b.awaitReturn("the room " + (reset ? "reset" : "closed") + " the connection");
                }
            }
        }
    }
}
