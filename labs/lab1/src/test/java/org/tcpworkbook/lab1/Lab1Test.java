package org.tcpworkbook.lab1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
import org.tcpworkbook.lab1.AddressInfo.Family;
import org.tcpworkbook.lab1.AddressInfo.Scope;

@DisplayName("Lab 1: IP addresses and ports")
@ExtendWith(Peers.class)
class Lab1Test {
    /** How long any one call into your code may take. */
    static final Duration LIMIT = Duration.ofSeconds(2);

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
                    Map.entry("127.255.255.254", Scope.LOOPBACK),
                    Map.entry("10.0.0.1", Scope.PRIVATE),
                    Map.entry("172.16.0.1", Scope.PRIVATE),
                    Map.entry("172.31.255.255", Scope.PRIVATE),
                    Map.entry("172.32.0.1", Scope.OTHER),
                    Map.entry("192.168.88.8", Scope.PRIVATE),
                    Map.entry("169.254.10.1", Scope.LINK_LOCAL),
                    Map.entry("0.0.0.0", Scope.UNSPECIFIED),
                    Map.entry("8.8.8.8", Scope.OTHER)));
        }

        @Test
        @DisplayName("tells the scope of IPv6 literals, short and long forms")
        void classifiesIpv6Literals() throws Exception {
            expectClassified(Family.IPV6, Map.ofEntries(
                    Map.entry("::1", Scope.LOOPBACK),
                    Map.entry("::", Scope.UNSPECIFIED),
                    Map.entry("fe80::1", Scope.LINK_LOCAL),
                    Map.entry("febf:ffff::1", Scope.LINK_LOCAL),
                    Map.entry("fd12:3456::1", Scope.PRIVATE),
                    Map.entry("fc00::1", Scope.PRIVATE),
                    Map.entry("fec0::1", Scope.OTHER),
                    Map.entry("2001:db8::1", Scope.OTHER),
                    Map.entry("2001:0db8:0000:0000:0000:0000:0000:0001", Scope.OTHER)));
        }

        private void expectClassified(Family family, Map<String, Scope> cases) throws Exception {
            Problems problems = new Problems();
            for (Map.Entry<String, Scope> c : new TreeMap<>(cases).entrySet()) {
                String literal = c.getKey();
                AddressInfo info = Student.call("classifying \"" + literal + "\"", LIMIT,
                        () -> Addresses.classify(literal));
                String hint = literal.startsWith("fec0") || literal.startsWith("fc") || literal.startsWith("fd")
                        ? " (private IPv6 addresses are the unique-local fc00::/7; Inet6Address.isSiteLocalAddress()"
                          + " tests the obsolete fec0::/10)" : "";
                problems.verify(() -> assertThat(info).as("Addresses.classify(\"%s\")%s", literal, hint)
                        .isEqualTo(new AddressInfo(family, c.getValue())));
            }
            problems.assertNone(NOTES);
        }

        @Test
        @DisplayName("rejects what is not an address literal, without asking DNS")
        void rejectsWhatIsNotALiteral() throws Exception {
            Problems problems = new Problems();
            for (String notALiteral : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3",
                    "-1.2.3.4", "", " 127.0.0.1", "127.0.0.1/8", "localhost", "example.invalid", "2001:db8::g",
                    "1:2:3", "[::1]", "fe80::1%lo")) {
                AddressInfo info;
                try {
                    info = Student.call("classifying \"" + notALiteral + "\"", LIMIT,
                            () -> Addresses.classify(notALiteral));
                } catch (IllegalArgumentException expected) {
                    problems.verify(() -> assertThat(expected.getMessage()).as("the IllegalArgumentException"
                            + " for \"%s\" should say what is wrong", notALiteral).isNotBlank());
                    continue;
                }
                boolean leadingZero = LEADING_ZERO.matcher(notALiteral).find();
                boolean lookedUp = notALiteral.equals("localhost")
                        || info.family() == Family.IPV4 && info.scope() == Scope.OTHER;
                problems.add(String.format("Addresses.classify(\"%s\") returned %s, but that is not an IP address"
                        + " literal: throw IllegalArgumentException.%s", notALiteral, info,
                        leadingZero ? " A number with a leading zero is ambiguous (some tools read 01 as octal):"
                                + " Integer.parseInt reads it as 1, so check for the leading zero yourself; and"
                                + " InetAddress.getByName may look the string up in DNS."
                        : lookedUp ? " Did you pass it to InetAddress.getByName? For a string that is not a"
                                + " literal that is a DNS query (here the checker's name table answered it)." : ""));
            }
            problems.assertNone(NOTES);
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
                assertThat(listener.getInetAddress().isLoopbackAddress())
                        .as("the socket is bound to %s; bind it to the loopback address"
                            + " (InetAddress.getLoopbackAddress()), not to every interface %s",
                            listener.getInetAddress().getHostAddress(), NOTES)
                        .isTrue();
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
            long before = OpenSockets.count();
            boolean inUse = Student.call("testing port " + server.port(), LIMIT, () -> Ports.isInUse(server.port()));
            long left = OpenSockets.count() - before;
            assertThat(inUse).as("Ports.isInUse(%d) while a reference server listens on 127.0.0.1:%d: a bind"
                    + " there fails with BindException %s", server.port(), server.port(), NOTES).isTrue();
            assertThat(left).as("sockets Ports.isInUse(%d) left open when it returned: close the trial socket on"
                    + " every path, also when its bind fails (try-with-resources) %s", server.port(), NOTES)
                    .isLessThanOrEqualTo(0);
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
        @DisplayName("rejects numbers outside 1-65535")
        void rejectsPortsItCannotTest() throws Exception {
            Problems problems = new Problems();
            for (int notAPort : new int[] {0, -1, 65536}) {
                problems.expectIllegalArgument("Ports.isInUse(" + notAPort + ")", LIMIT, () -> Ports.isInUse(notAPort));
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
        void tellsReachable(ReferenceServer server) throws Exception {
            Reachability result = Student.call("probing the reference server at 127.0.0.1:" + server.port(),
                    LIMIT, () -> ConnectProbe.probe(server.address(), TIMEOUT));
            assertThat(result).as("ConnectProbe.probe(127.0.0.1:%d) while a server listens there %s",
                    server.port(), NOTES).isEqualTo(Reachability.REACHABLE);
            assertThat(server.takeConnection(LIMIT)).as("the reference server saw the probe connect").isNotNull();
            try {
                server.awaitClientEnd(CLOSE_WAIT);
            } catch (AssertionFailedError stayedOpen) {
                fail("ConnectProbe.probe returned %s, but the probe's connection stayed open: the reference server"
                        + " waited %d ms for it to end. Close the socket once it connected (try-with-resources) %s",
                        result, CLOSE_WAIT.toMillis(), NOTES);
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
                Reachability result = Student.call("probing a listener whose backlog is full, with a "
                        + TIMEOUT.toMillis() + " ms timeout", LIMIT, () -> ConnectProbe.probe(stuck.address(), TIMEOUT));
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
            for (int millis : new int[] {0, -1}) {
                problems.expectIllegalArgument("ConnectProbe.probe(..., " + millis + " ms)", LIMIT,
                        () -> ConnectProbe.probe(closed, Duration.ofMillis(millis)));
            }
            problems.assertNone(NOTES);
        }
    }
}
