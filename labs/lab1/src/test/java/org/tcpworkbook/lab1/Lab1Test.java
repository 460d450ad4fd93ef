package org.tcpworkbook.lab1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Loopback;
import org.tcpworkbook.kit.Notes;
import org.tcpworkbook.kit.OpenSockets;
import org.tcpworkbook.kit.Outcome;
import org.tcpworkbook.kit.Peers;
import org.tcpworkbook.kit.Problems;
import org.tcpworkbook.kit.ReferenceClient;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;
import org.tcpworkbook.kit.Transcript;
import org.tcpworkbook.lab1.AddressInfo.Family;
import org.tcpworkbook.lab1.AddressInfo.Scope;

@DisplayName("Lab 1: IP addresses and ports")
@ExtendWith(Peers.class)
class Lab1Test {
    /** How long any one call into your code may take. */
    static final Duration LIMIT = Duration.ofSeconds(2);

    /**
     * A string as the student should read it in a message: quoted, with control characters
     * escaped ({@code \r}, not a raw carriage return) and anything outside ASCII as {@code \}{@code uXXXX}.
     */
    static String show(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : Transcript.escape(text).toCharArray()) {
            out.append(c < 0x7f ? String.valueOf(c) : String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        }
        return out.append('"').toString();
    }

    /**
     * Calls the student's code, which must throw IllegalArgumentException, and notes a problem if
     * it left a socket open when it threw: looked up the moment the call returns in the kit's record
     * of sockets (which no garbage collection can empty), with the line that opened it. A socket that exists when the argument is checked
     * is a socket created too early.
     */
    static void expectRejected(Problems problems, String call, String socketHint, Callable<?> code) throws Exception {
        OpenSockets.Mark before = OpenSockets.mark();
        problems.expectIllegalArgument(call, LIMIT, code);
        long left = before.stillOpen();
        if (left > 0) {
            String which = before.described();
            problems.add(call + " left " + left + (left == 1 ? " socket" : " sockets") + " open when it threw: "
                    + socketHint + (which.isEmpty() ? "" : " (" + which + ")"));
        }
    }

    @Nested
    @Tag("task-1")
    @DisplayName("Task 1: Addresses.classify")
    class Task1 {
        static final String NOTES = Notes.see("lab1", "task-classify");
        /** A number of a dotted quad that starts with 0 and has more digits: "01.2.3.4". */
        static final Pattern LEADING_ZERO = Pattern.compile("(^|\\.)0[0-9]");

        @Test
        @DisplayName("tells the scope of IPv4 literals, range boundaries included")
        void classifiesIpv4Literals() throws Exception {
            expectClassified(Family.IPV4, Map.ofEntries(
                    Map.entry("127.0.0.1", Scope.LOOPBACK),
                    Map.entry("127.0.0.0", Scope.LOOPBACK),
                    Map.entry("127.255.255.254", Scope.LOOPBACK),
                    Map.entry("126.255.255.255", Scope.OTHER),
                    Map.entry("128.0.0.1", Scope.OTHER),
                    Map.entry("10.0.0.1", Scope.PRIVATE),
                    Map.entry("10.255.255.255", Scope.PRIVATE),
                    Map.entry("9.255.255.255", Scope.OTHER),
                    Map.entry("11.0.0.0", Scope.OTHER),
                    Map.entry("172.15.255.255", Scope.OTHER),
                    Map.entry("172.16.0.1", Scope.PRIVATE),
                    Map.entry("172.31.255.255", Scope.PRIVATE),
                    Map.entry("172.32.0.1", Scope.OTHER),
                    Map.entry("192.168.0.0", Scope.PRIVATE),
                    Map.entry("192.168.88.8", Scope.PRIVATE),
                    Map.entry("192.167.255.255", Scope.OTHER),
                    Map.entry("192.169.0.0", Scope.OTHER),
                    Map.entry("169.254.10.1", Scope.LINK_LOCAL),
                    Map.entry("169.254.255.255", Scope.LINK_LOCAL),
                    Map.entry("169.253.255.255", Scope.OTHER),
                    Map.entry("169.255.0.0", Scope.OTHER),
                    Map.entry("0.0.0.0", Scope.UNSPECIFIED),
                    Map.entry("224.0.0.1", Scope.OTHER),
                    Map.entry("192.0.2.1", Scope.OTHER),
                    Map.entry("255.255.255.255", Scope.OTHER),
                    Map.entry("8.8.8.8", Scope.OTHER)));
        }

        @Test
        @DisplayName("tells the scope of IPv6 literals, short and long forms")
        void classifiesIpv6Literals() throws Exception {
            expectClassified(Family.IPV6, Map.ofEntries(
                    Map.entry("::1", Scope.LOOPBACK),
                    Map.entry("0:0:0:0:0:0:0:1", Scope.LOOPBACK),
                    Map.entry("::2", Scope.OTHER),
                    Map.entry("::", Scope.UNSPECIFIED),
                    Map.entry("fe80::1", Scope.LINK_LOCAL),
                    Map.entry("fe81::1", Scope.LINK_LOCAL),
                    Map.entry("febf:ffff::1", Scope.LINK_LOCAL),
                    Map.entry("FE80::1", Scope.LINK_LOCAL),
                    Map.entry("fe7f::1", Scope.OTHER),
                    Map.entry("fd12:3456::1", Scope.PRIVATE),
                    Map.entry("fc00::1", Scope.PRIVATE),
                    Map.entry("fdff:ffff::1", Scope.PRIVATE),
                    Map.entry("FD00::1", Scope.PRIVATE),
                    Map.entry("fbff::1", Scope.OTHER),
                    Map.entry("fe00::1", Scope.OTHER),
                    Map.entry("fec0::1", Scope.OTHER),
                    Map.entry("ff02::1", Scope.OTHER),
                    Map.entry("2001:db8::1", Scope.OTHER),
                    Map.entry("2001:DB8::1", Scope.OTHER),
                    Map.entry("::ffff:192.0.2.1", Scope.OTHER),
                    Map.entry("2001:0db8:0000:0000:0000:0000:0000:0001", Scope.OTHER)));
        }

        private void expectClassified(Family family, Map<String, Scope> cases) throws Exception {
            Problems problems = new Problems();
            Map<String, AddressInfo> results = new LinkedHashMap<>();
            for (Map.Entry<String, Scope> c : new TreeMap<>(cases).entrySet()) {
                String literal = c.getKey();
                try {
                    results.put(literal, Student.call("classifying " + show(literal), LIMIT,
                            () -> Addresses.classify(literal)));
                } catch (IllegalArgumentException e) {
                    problems.add(String.format("Addresses.classify(%s) threw IllegalArgumentException (%s), but it is"
                            + " a valid %s literal: expected %s.%s", show(literal), show(e.getMessage()),
                            family == Family.IPV4 ? "IPv4" : "IPv6", new AddressInfo(family, c.getValue()),
                            rejectedHint(literal)));
                }
            }
            for (Map.Entry<String, AddressInfo> r : results.entrySet()) {
                String literal = r.getKey();
                AddressInfo expected = new AddressInfo(family, cases.get(literal));
                String hint = r.getValue().equals(expected) ? "" : wrongHint(literal, r.getValue(), results);
                problems.verify(() -> assertThat(r.getValue()).as("Addresses.classify(%s)%s", show(literal), hint)
                        .isEqualTo(expected));
            }
            problems.assertNone(NOTES);
        }

        /** Why a valid literal may have been rejected. */
        private static String rejectedHint(String literal) {
            if (literal.chars().anyMatch(c -> c >= 'A' && c <= 'F')) {
                return " Hex digits may be written in either case (RFC 4291): \"FE80::1\" is fe80::1.";
            }
            if (literal.contains("255")) {
                return " Each number of a dotted quad is 0 to 255, 255 included.";
            }
            return "";
        }

        /** Why a literal may have been given the wrong family or scope, from all the answers seen. */
        private static String wrongHint(String literal, AddressInfo actual, Map<String, AddressInfo> results) {
            if (literal.startsWith("::ffff:") && actual.family() == Family.IPV4) {
                return " (an IPv4-mapped IPv6 literal is still an IPv6 literal, but InetAddress.getByName returns"
                        + " an Inet4Address for it: take the family from the literal, a colon means IPv6, not from"
                        + " the class of the InetAddress)";
            }
            String lower = literal.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("fc") || lower.startsWith("fd") || lower.startsWith("fec0") || lower.startsWith("fb")) {
                boolean fec0Private = scopeOf(results, "fec0::1") == Scope.PRIVATE;
                boolean fcWrong = scopeOf(results, "fc00::1") != Scope.PRIVATE;
                boolean fdWrong = scopeOf(results, "fd12:3456::1") != Scope.PRIVATE;
                if (fec0Private) {
                    return " (private IPv6 addresses are the unique-local fc00::/7; Inet6Address.isSiteLocalAddress()"
                            + " tests the obsolete site-local fec0::/10)";
                }
                if (fcWrong && fdWrong) {
                    return " (private IPv6 addresses are the unique-local fc00::/7: the first byte is 0xfc or 0xfd."
                            + " A Java byte is signed, 0xfd is -3, so bytes[0] == 0xfd is never true:"
                            + " test (bytes[0] & 0xfe) == 0xfc)";
                }
                return " (the unique-local block fc00::/7 is fc00::/8 and fd00::/8 together: the first byte with"
                        + " its lowest bit cleared is 0xfc, (bytes[0] & 0xfe) == 0xfc)";
            }
            if (lower.startsWith("fe")) {
                return " (fe80::/10 takes in every first group from fe80 to febf, nothing outside it: test the bits,"
                        + " as isLinkLocalAddress() does, not the text \"fe80\")";
            }
            if (literal.startsWith("172.")) {
                return " (172.16.0.0/12 runs from 172.16.0.0 to 172.31.255.255: compare the numbers, not the text)";
            }
            return " (see the table of special ranges: a block such as 10.0.0.0/8 ends at 10.255.255.255)";
        }

        private static Scope scopeOf(Map<String, AddressInfo> results, String literal) {
            AddressInfo info = results.get(literal);
            return info == null ? null : info.scope();
        }

        @Test
        @DisplayName("rejects what is not an address literal, without asking DNS")
        void rejectsWhatIsNotALiteral() throws Exception {
            Problems problems = new Problems();
            for (String notALiteral : Arrays.asList("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3",
                    "1.2.3.4.", ".1.2.3.4", "127.1", "0x7f.0.0.1", "-1.2.3.4", "+1.2.3.4", "1.2.3.+4",
                    "\u0661\u0662\u0667.0.0.1", "", " 127.0.0.1", "127.0.0.1 ", "127.0.0.1\r", "127.0.0.1\t",
                    "127.0.0.1/8", "localhost", "example.invalid", "2001:db8::g", "1:2:3", "1::2::3", "[::1]",
                    " ::1", "::1 ", "fe80::1%lo", "fe80::1%1", null)) {
                AddressInfo info;
                try {
                    info = Student.call("classifying " + show(notALiteral), LIMIT,
                            () -> Addresses.classify(notALiteral));
                } catch (IllegalArgumentException expected) {
                    problems.verify(() -> assertThat(expected.getMessage()).as("the IllegalArgumentException"
                            + " for %s should say what is wrong", show(notALiteral)).isNotBlank());
                    continue;
                } catch (RuntimeException wrongKind) {
                    problems.add(String.format("Addresses.classify(%s) threw %s; it must throw"
                            + " IllegalArgumentException, with a message that says what is wrong%s", show(notALiteral),
                            wrongKind, notALiteral == null ? " (check for null first)" : ""));
                    continue;
                }
                problems.add(String.format("Addresses.classify(%s) returned %s, but that is not an IP address"
                        + " literal: throw IllegalArgumentException.%s", show(notALiteral), info,
                        notALiteralHint(notALiteral, info)));
            }
            problems.assertNone(NOTES);
        }

        /** Names given to 192.0.2.1 in the checker's name table (labs/kit/test-hosts). */
        static final Set<String> IN_NAME_TABLE = Set.of("256.1.1.1", "1.2.3", "01.2.3.4", "example.invalid");

        /** The likely cause of accepting {@code text}, most specific first. */
        private static String notALiteralHint(String text, AddressInfo info) {
            if (text == null) {
                return " Check for null first.";
            }
            if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                return " Spaces and control characters (\\r, \\t) are not part of a literal: reject them; do not"
                        + " strip() or trim() the text first.";
            }
            if (text.chars().anyMatch(c -> c > 0x7f)) {
                return " Character.isDigit and Integer.parseInt also accept the digits of other scripts"
                        + " (\\u0661 is ARABIC-INDIC DIGIT ONE): accept only the characters '0' to '9'.";
            }
            if (Pattern.compile("(^|\\.)[+-]").matcher(text).find()) {
                return " Integer.parseInt accepts a sign (\"+1\", \"-1\"): check that each number has only the digits"
                        + " 0-9 before you parse it.";
            }
            if (text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
                return " Every one of the four numbers must be there: String.split drops trailing empty strings"
                        + " (\"1.2.3.4.\".split(\"\\\\.\") has 4 parts); split(\"\\\\.\", -1) keeps them, then"
                        + " reject the empty ones.";
            }
            if (text.equals("127.1")) {
                return " InetAddress.getByName reads \"127.1\" as 127.0.0.1, an old shorthand; here an IPv4 literal"
                        + " is exactly four numbers.";
            }
            if (text.contains("[") || text.contains("%")) {
                return " Brackets and zones (%lo, %1) are notation around an address, not part of it;"
                        + " InetAddress.getByName accepts them, so check the characters yourself first.";
            }
            if (LEADING_ZERO.matcher(text).find()) {
                return " A number with a leading zero is ambiguous (some tools read 01 as octal):"
                        + " Integer.parseInt reads it as 1, so check for the leading zero yourself; and"
                        + " InetAddress.getByName may look the string up in DNS.";
            }
            if (text.equals("localhost") || IN_NAME_TABLE.contains(text) && info != null
                    && info.equals(new AddressInfo(Family.IPV4, Scope.OTHER))) {
                return " Did you pass it to InetAddress.getByName? For a string that is not a"
                        + " literal that is a DNS query (here the checker's name table answered it).";
            }
            return "";
        }
    }

    @Nested
    @Tag("task-2")
    @DisplayName("Task 2: Ports.category")
    class Task2 {
        static final String NOTES = Notes.see("lab1", "task-port-category");

        @Test
        @DisplayName("uses IANA's ranges, boundaries included")
        void categorisesPortNumbers() throws Exception {
            Map<Integer, PortCategory> cases = new TreeMap<>(Map.of(
                    0, PortCategory.WELL_KNOWN, 21, PortCategory.WELL_KNOWN, 80, PortCategory.WELL_KNOWN,
                    1023, PortCategory.WELL_KNOWN, 1024, PortCategory.REGISTERED, 8080, PortCategory.REGISTERED,
                    49151, PortCategory.REGISTERED, 49152, PortCategory.DYNAMIC, 60999, PortCategory.DYNAMIC,
                    65535, PortCategory.DYNAMIC));
            Problems problems = new Problems();
            for (Map.Entry<Integer, PortCategory> c : cases.entrySet()) {
                int port = c.getKey();
                PortCategory actual = Student.call("categorising port " + port, LIMIT, () -> Ports.category(port));
                problems.verify(() -> assertThat(actual).as("Ports.category(%d), with IANA's ranges 0-1023,"
                        + " 1024-49151, 49152-65535", port).isEqualTo(c.getValue()));
            }
            problems.assertNone(NOTES);
        }

        @Test
        @DisplayName("rejects numbers outside 0-65535")
        void rejectsNumbersThatAreNoPort() throws Exception {
            Problems problems = new Problems();
            for (int notAPort : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                problems.expectIllegalArgument("Ports.category(" + notAPort + ")", LIMIT, () -> Ports.category(notAPort));
            }
            problems.assertNone(NOTES);
        }
    }

    @Nested
    @Tag("task-3")
    @DisplayName("Task 3: Ports.listenOnEphemeralPort")
    class Task3 {
        static final String NOTES = Notes.see("lab1", "task-ephemeral");

        @Test
        @DisplayName("listens on loopback, on a port the OS chose from its ephemeral range")
        void listensOnAnEphemeralLoopbackPort() throws Exception {
            int[] range = Loopback.ephemeralRange();
            try (ServerSocket listener = listen("listening on an ephemeral port")) {
                assertThat(listener).as("listenOnEphemeralPort() returned null %s", NOTES).isNotNull();
                assertThat(listener.isClosed()).as("listenOnEphemeralPort() returned a closed socket: it must"
                        + " still listen when it returns, and the caller closes it (a try-with-resources in"
                        + " your method closes it on the way out) %s", NOTES).isFalse();
                assertThat(listener.isBound()).as("the returned socket is bound %s", NOTES).isTrue();
                InetAddress bound = listener.getInetAddress();
                assertThat(bound)
                        .as("the socket is bound to %s; bind it to the loopback address 127.0.0.1"
                            + " (InetAddress.getLoopbackAddress()), %s %s", bound.getHostAddress(),
                            bound.isAnyLocalAddress() ? "not to every interface" : "and to no other address", NOTES)
                        .isEqualTo(InetAddress.getLoopbackAddress());
                assertThat(listener.getLocalPort())
                        .as("port %d: ask for port 0 and let the OS choose from its ephemeral range %d-%d %s",
                            listener.getLocalPort(), range[0], range[1], NOTES)
                        .isBetween(range[0], range[1]);
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        listener.getLocalPort());
                assertThat(ReferenceClient.probe(address, LIMIT))
                        .as("a connect to 127.0.0.1:%d (the socket must be listening) %s",
                            listener.getLocalPort(), NOTES)
                        .isEqualTo(Outcome.OPEN);
            }
        }

        @Test
        @DisplayName("gives a different free port each time")
        void givesADifferentPortEachTime() throws Exception {
            try (ServerSocket first = listen("listening on an ephemeral port");
                    ServerSocket second = listen("listening on a second ephemeral port, the first still open")) {
                assertThat(second.getLocalPort())
                        .as("two listeners open at once got the same port: ask for port 0 %s", NOTES)
                        .isNotEqualTo(first.getLocalPort());
            }
        }

        /** Calls listenOnEphemeralPort; a BindException there means it asked for a port of its own choosing. */
        private ServerSocket listen(String doing) throws Exception {
            try {
                return Student.call(doing, LIMIT, Ports::listenOnEphemeralPort);
            } catch (UnknownHostException e) {
                return fail("listenOnEphemeralPort() failed with UnknownHostException (\"%s\") while %s: it looked a"
                        + " host name up (InetAddress.getLocalHost() resolves this machine's own name, which may be"
                        + " any address of it, or none, as here). Bind to InetAddress.getLoopbackAddress(): 127.0.0.1,"
                        + " with no lookup %s", e.getMessage(), doing, NOTES);
            } catch (BindException e) {
                return fail("listenOnEphemeralPort() failed with BindException (\"%s\") while %s: a fixed port"
                        + " may be taken, by another program or by your own listener; ask for port 0, and the OS"
                        + " chooses one that is free %s", e.getMessage(), doing, NOTES);
            }
        }
    }

    @Nested
    @Tag("task-4")
    @DisplayName("Task 4: Ports.isInUse")
    class Task4 {
        static final String NOTES = Notes.see("lab1", "task-in-use");

        @Test
        @DisplayName("says a port is in use while a reference server listens on it")
        void inUseWhileAServerListens(ReferenceServer server) throws Exception {
            OpenSockets.Mark before = OpenSockets.mark();
            boolean inUse = Student.call("testing port " + server.port(), LIMIT, () -> Ports.isInUse(server.port()));
            long left = before.stillOpen();
            assertThat(inUse).as("Ports.isInUse(%d) while a reference server listens on 127.0.0.1:%d: a bind"
                    + " there fails with BindException %s", server.port(), server.port(), NOTES).isTrue();
            assertThat(left).as("sockets Ports.isInUse(%d) left open when it returned: close the trial socket on"
                    + " every path, also when its bind fails (try-with-resources) %s", server.port(), NOTES)
                    .isLessThanOrEqualTo(0);
        }

        @Test
        @DisplayName("says a port is in use while its listener is too busy to accept (it binds, it does not connect)")
        void inUseWhileTheListenerIsBusy() throws Exception {
            try (Loopback.FullBacklog busy = Loopback.fullBacklog()) {
                int port = busy.address().getPort();
                OpenSockets.Mark before = OpenSockets.mark();
                boolean inUse;
                try {
                    inUse = Student.call("testing port " + port + ", whose listener's backlog is full", LIMIT,
                            () -> Ports.isInUse(port));
                } catch (IOException e) {
                    fail("Ports.isInUse(%d) threw %s while a listener holds 127.0.0.1:%d but accepts nothing (its"
                            + " backlog is full): did it connect to the port instead of trying to bind it? A connect"
                            + " to a busy listener times out, and tells nothing; a bind fails with BindException"
                            + " whatever the listener is doing %s", port, e, port, NOTES);
                    return;
                }
                long left = before.stillOpen();
                assertThat(inUse).as("Ports.isInUse(%d) while a listener holds 127.0.0.1:%d but accepts nothing"
                        + " (its backlog is full): try to bind the port, do not connect to it %s", port, port, NOTES)
                        .isTrue();
                assertThat(left).as("sockets Ports.isInUse(%d) left open when it returned: close the trial socket"
                        + " on every path (try-with-resources) %s", port, NOTES).isLessThanOrEqualTo(0);
            }
        }

        @Test
        @DisplayName("says 127.0.0.1's port is free while another loopback address (::1) holds the same port")
        void freeWhileAnotherAddressHoldsThePort() throws Exception {
            ServerSocket other = null;
            for (String address : new String[] {"::1", "127.0.0.2"}) {
                try {
                    other = new ServerSocket(0, 1, InetAddress.getByName(address));
                    break;
                } catch (IOException noSuchAddress) {
                    // this machine has no such loopback address: try the next
                }
            }
            Assumptions.assumeTrue(other != null, "this machine has neither ::1 nor 127.0.0.2 to hold a port on");
            try (ServerSocket held = other) {
                int port = held.getLocalPort();
                String holder = new InetSocketAddress(held.getInetAddress(), port).toString();
                try (ServerSocket free = new ServerSocket()) {
                    free.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (BindException e) {
                    Assumptions.abort("127.0.0.1:" + port + " is taken too: nothing to tell apart");
                }
                boolean inUse = Student.call("testing port " + port + " while only " + holder + " holds it", LIMIT,
                        () -> Ports.isInUse(port));
                assertThat(inUse).as("Ports.isInUse(%d) while only %s listens and 127.0.0.1:%d is free: bind the"
                        + " trial socket to 127.0.0.1 (InetAddress.getLoopbackAddress()). Bound to every interface"
                        + " (new InetSocketAddress(port), or Python's bind(('', port))) it collides with a listener"
                        + " on any address, and for a moment your trial socket is reachable from the network %s",
                        port, holder, port, NOTES).isFalse();
            }
        }

        @Test
        @DisplayName("says a port is free when nothing listens, and leaves it free")
        void freeWhenNothingListens() throws Exception {
            InetSocketAddress closed = Loopback.closedPort();
            boolean inUse = Student.call("testing port " + closed.getPort(), LIMIT,
                    () -> Ports.isInUse(closed.getPort()));
            assertThat(inUse).as("Ports.isInUse(%d) when nothing listens there %s", closed.getPort(), NOTES)
                    .isFalse();
            try {
                new ServerSocket(closed.getPort(), 1, closed.getAddress()).close();
            } catch (BindException e) {
                fail("after Ports.isInUse(%d) returned, port %d was still taken: close the trial socket on"
                        + " every path (try-with-resources) %s", closed.getPort(), closed.getPort(), NOTES);
            }
        }

        @Test
        @DisplayName("rejects numbers outside 1-65535, and takes 1 and 65535")
        void rejectsPortsItCannotTest() throws Exception {
            Problems problems = new Problems();
            for (int notAPort : new int[] {0, -1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                expectRejected(problems, "Ports.isInUse(" + notAPort + ")", "check the port before you create the"
                        + " trial socket, or create it in a try-with-resources that also closes it when the check"
                        + " fails", () -> Ports.isInUse(notAPort));
            }
            for (int edge : new int[] {1, 65535}) {
                try {
                    Student.call("testing port " + edge, LIMIT, () -> Ports.isInUse(edge));
                } catch (IllegalArgumentException e) {
                    problems.add(String.format("Ports.isInUse(%d) threw IllegalArgumentException (%s), but %d is a"
                            + " port it can test: 1 to 65535, both ends included", edge, show(e.getMessage()), edge));
                }
            }
            problems.assertNone(NOTES);
        }
    }

    @Nested
    @Tag("task-5")
    @DisplayName("Task 5: ConnectProbe.probe")
    class Task5 {
        static final String NOTES = Notes.see("lab1", "task-probe");
        static final Duration TIMEOUT = Duration.ofMillis(300);
        /** How long a probe's connection may take to end after the probe returned. */
        static final Duration CLOSE_WAIT = Duration.ofMillis(500);

        @Test
        @DisplayName("tells REACHABLE when a server listens, and closes its connection")
        void tellsReachable() throws Exception {
            // A listener that does not accept until the probe has returned: the connection waits in its
            // backlog, which holds no socket of this JVM, so every socket open when the probe returns
            // more than before it was called is the probe's own. Counted at once, before a garbage
            // collection could close an abandoned socket.
            try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                InetSocketAddress address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
                OpenSockets.Mark before = OpenSockets.mark();
                Reachability result = Student.call("probing a listener at 127.0.0.1:" + address.getPort(),
                        LIMIT, () -> ConnectProbe.probe(address, TIMEOUT));
                long left = before.stillOpen();
                assertThat(result).as("ConnectProbe.probe(127.0.0.1:%d) while a server listens there %s",
                        address.getPort(), NOTES).isEqualTo(Reachability.REACHABLE);
                assertThat(left).as("ConnectProbe.probe returned %s, but the probe's connection stayed open: %d"
                        + " socket(s) it opened were still open when it returned. Close the socket once it"
                        + " connected (try-with-resources) %s", result, left, NOTES).isLessThanOrEqualTo(0);
                listener.setSoTimeout((int) LIMIT.toMillis());
                try (java.net.Socket accepted = listener.accept()) {
                    accepted.setSoTimeout((int) CLOSE_WAIT.toMillis());
                    try {
                        accepted.getInputStream().read(); // -1 after a close, "Connection reset" after a reset
                    } catch (java.net.SocketTimeoutException stayedOpen) {
                        fail("ConnectProbe.probe returned %s, but the probe's connection stayed open: the listener"
                                + " waited %d ms for it to end. Close the socket once it connected"
                                + " (try-with-resources) %s", result, CLOSE_WAIT.toMillis(), NOTES);
                    } catch (java.net.SocketException reset) {
                        // ended, if abruptly: still closed
                    }
                } catch (java.net.SocketTimeoutException noConnection) {
                    fail("ConnectProbe.probe returned %s, but no connection reached the listener at 127.0.0.1:%d"
                            + " within %d ms: connect to the target you are given %s", result, address.getPort(),
                            LIMIT.toMillis(), NOTES);
                }
            }
        }

        @Test
        @DisplayName("tells REFUSED when nothing listens on the port")
        void tellsRefused() throws Exception {
            InetSocketAddress closed = Loopback.closedPort();
            Reachability result = Student.call("probing 127.0.0.1:" + closed.getPort() + " where nothing listens",
                    LIMIT, () -> ConnectProbe.probe(closed, TIMEOUT));
            assertThat(result).as("ConnectProbe.probe(127.0.0.1:%d) where nothing listens: the connect throws"
                    + " ConnectException %s", closed.getPort(), NOTES).isEqualTo(Reachability.REFUSED);
        }

        @Test
        @DisplayName("tells TIMED_OUT within its timeout when the connect never completes")
        void tellsTimedOut() throws Exception {
            try (Loopback.FullBacklog stuck = Loopback.fullBacklog()) {
                long start = System.nanoTime();
                Reachability result;
                try {
                    result = Student.call("probing a listener whose backlog is full, with a "
                            + TIMEOUT.toMillis() + " ms timeout", LIMIT, () -> ConnectProbe.probe(stuck.address(), TIMEOUT));
                } catch (AssertionFailedError blocked) {
                    if (blocked.getCause() instanceof UnsupportedOperationException) {
                        throw blocked; // not written yet: its own message says so
                    }
                    throw new AssertionFailedError(blocked.getMessage() + " " + zeroHint(TIMEOUT) + " " + NOTES);
                }
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertThat(result).as("ConnectProbe.probe of a listener whose backlog is full: its connect"
                        + " never completes, so Socket.connect(address, timeout) throws SocketTimeoutException %s",
                        NOTES).isEqualTo(Reachability.TIMED_OUT);
                assertThat(elapsed).as("the probe took %d ms with a timeout of %d ms: pass the timeout to"
                        + " Socket.connect %s", elapsed, TIMEOUT.toMillis(), NOTES)
                        .isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 700);
            }
        }

        @Test
        @DisplayName("rejects a timeout that is not positive (0 would wait forever)")
        void rejectsATimeoutThatIsNotPositive() throws Exception {
            InetSocketAddress closed = Loopback.closedPort();
            Problems problems = new Problems();
            problems.expectEachNotPositiveTimeoutRefused(t -> "ConnectProbe.probe(..., " + millis(t) + ")",
                    t -> ConnectProbe.probe(closed, t), (call, code) -> expectRejected(problems, call, "check the timeout"
                            + " before you create the socket (or set anything on it), or create it in a try-with-resources"
                            + " that also closes it when the check fails", code));
            problems.assertNone(NOTES);
        }

        /** A probe's result and how long it took, measured on the thread that ran it. */
        record Timed(Reachability result, long millis) {
        }

        @Test
        @DisplayName("waits its whole timeout, to the millisecond: 0.5 ms, 1.5 s, 2 s")
        void waitsItsWholeTimeout() throws Exception {
            List<Duration> timeouts = List.of(Duration.ofNanos(500_000), Duration.ofMillis(1500), Duration.ofSeconds(2));
            Duration slack = Duration.ofMillis(700);
            try (Loopback.FullBacklog stuck = Loopback.fullBacklog()) {
                // All at once, each measured on its own thread: the check takes 2 s, not 3.5.
                long start = System.nanoTime();
                List<Student.Running<Timed>> probes = new ArrayList<>();
                for (Duration timeout : timeouts) {
                    probes.add(Student.start("probing a listener whose backlog is full, with a timeout of "
                            + millis(timeout), () -> {
                                long t0 = System.nanoTime();
                                Reachability result = ConnectProbe.probe(stuck.address(), timeout);
                                return new Timed(result, (System.nanoTime() - t0) / 1_000_000);
                            }));
                }
                Problems problems = new Problems();
                for (int i = 0; i < timeouts.size(); i++) {
                    Duration timeout = timeouts.get(i);
                    long waited = (System.nanoTime() - start) / 1_000_000;
                    Duration remaining = Duration.ofMillis(Math.max(1, timeout.plus(slack).toMillis() - waited));
                    Timed timed;
                    try {
                        timed = probes.get(i).await(remaining);
                    } catch (IllegalArgumentException e) {
                        problems.add(String.format("ConnectProbe.probe(..., %s) threw IllegalArgumentException (%s),"
                                + " but %s is a positive timeout. Under 1 ms, timeout.toMillis() is 0: round up to"
                                + " 1 ms instead", millis(timeout), show(e.getMessage()), millis(timeout)));
                        continue;
                    } catch (AssertionFailedError blocked) {
                        if (blocked.getCause() instanceof UnsupportedOperationException) {
                            throw blocked; // not written yet: its own message says so
                        }
                        problems.add(blocked.getMessage() + " " + zeroHint(timeout));
                        continue;
                    }
                    problems.verify(() -> assertThat(timed.result()).as("ConnectProbe.probe of a listener whose"
                            + " backlog is full, with a timeout of %s: its connect never completes, so"
                            + " Socket.connect(address, timeout) throws SocketTimeoutException", millis(timeout))
                            .isEqualTo(Reachability.TIMED_OUT));
                    long least = Math.max(0, timeout.toMillis() - 50);
                    problems.verify(() -> assertThat(timed.millis()).as("the probe with a timeout of %s gave up after"
                            + " %d ms: it must wait its whole timeout. Is only part of the Duration converted?"
                            + " timeout.toMillisPart() of 1.5 s is 500 (the part after the seconds) and whole"
                            + " seconds make 1 s of it; timeout.toMillis() is the whole", millis(timeout),
                            timed.millis()).isGreaterThanOrEqualTo(least));
                }
                problems.assertNone(NOTES);
            }
        }

        /** Why a positive timeout may have become 0, "wait forever", on its way to Socket.connect. */
        private static String zeroHint(Duration timeout) {
            String became;
            if (timeout.toMillis() == 0) {
                became = "(int) timeout.toMillis() is 0 for " + millis(timeout) + " (round a fraction of a millisecond"
                        + " up), and so are whole seconds";
            } else if (timeout.toMillisPart() == 0) {
                became = "timeout.toMillisPart() is 0 for " + millis(timeout) + ": it is only the part after the whole"
                        + " seconds; timeout.toMillis() is the whole";
            } else {
                became = "whole seconds (timeout.toSeconds(), getSeconds()) make 0 of " + millis(timeout) + ";"
                        + " timeout.toMillis() is the whole";
            }
            return "A positive timeout must reach Socket.connect as a positive number of milliseconds, and 0 there"
                    + " means \"wait forever\": " + became + ".";
        }

        /** "0.5 ms", "1500 ms": a timeout as the student reads it. */
        private static String millis(Duration timeout) {
            long nanos = timeout.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + " ms";
            }
            return nanos % 100_000 == 0 ? String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6) : nanos + " ns";
        }

        @Test
        @DisplayName("takes a timeout longer than an int of milliseconds (30 days)")
        void takesAVeryLongTimeout(ReferenceServer server) throws Exception {
            Duration month = Duration.ofDays(30);
            Reachability result;
            try {
                result = Student.call("probing the reference server at 127.0.0.1:" + server.port()
                        + " with a timeout of 30 days", LIMIT, () -> ConnectProbe.probe(server.address(), month));
            } catch (IllegalArgumentException e) {
                fail("ConnectProbe.probe(127.0.0.1:%d, 30 days) threw IllegalArgumentException (%s), but 30 days is a"
                        + " positive timeout. 30 days are %d ms, more than an int holds (Integer.MAX_VALUE, about 24.8"
                        + " days): (int) timeout.toMillis() turns that into a negative number. Wait at most"
                        + " Integer.MAX_VALUE ms %s", server.port(), show(e.getMessage()), month.toMillis(), NOTES);
                return;
            }
            assertThat(result).as("ConnectProbe.probe(127.0.0.1:%d, 30 days) while a server listens there %s",
                    server.port(), NOTES).isEqualTo(Reachability.REACHABLE);
        }

        @Test
        @DisplayName("throws, rather than answer, when the connect fails some other way (an unresolved address)")
        void throwsOnAFourthOutcome() throws Exception {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid",
                    Loopback.closedPort().getPort());
            OpenSockets.Mark before = OpenSockets.mark();
            Reachability result;
            try {
                result = Student.call("probing " + unresolved + ", an address that was never resolved", LIMIT,
                        () -> ConnectProbe.probe(unresolved, TIMEOUT));
            } catch (IOException | IllegalArgumentException expected) {
                long left = before.stillOpen();
                assertThat(left).as("ConnectProbe.probe of an unresolved address threw %s, and left %d socket(s)"
                        + " open: close the socket on every path, also when connect throws something you do not"
                        + " catch (try-with-resources) %s", expected, left, NOTES).isLessThanOrEqualTo(0);
                return;
            }
            fail("ConnectProbe.probe(%s) returned %s, but nothing was probed: Socket.connect throws"
                    + " UnknownHostException for an unresolved address, which is none of the three outcomes."
                    + " Catch only ConnectException (REFUSED) and SocketTimeoutException (TIMED_OUT), and let"
                    + " every other IOException reach the caller %s", unresolved, result, NOTES);
        }
    }
}
