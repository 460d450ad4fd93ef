/**
 * Lab 1's checker. Its promise table: every promise the skeleton's Javadoc, the given types'
 * Javadoc and the chapter's task text (docs lab1.adoc, "The tasks") make, and the check of
 * {@link org.tcpworkbook.lab1.Lab1Test} that fails when it is broken. Lab 1 has no chat protocol and
 * no threads of its own; its sockets are counted the moment a call returns (before a garbage
 * collection could close an abandoned one), besides the kit's leak check after each check.
 *
 * <h2>Task 1: {@code Addresses.classify}</h2>
 * <ul>
 * <li>Classifies an IPv4 literal (strict dotted quad) by family and scope; every IPv4 block of
 *     {@code AddressInfo.Scope} (127/8, 10/8, 172.16/12, 192.168/16, 169.254/16, 0.0.0.0) at both
 *     ends and just outside, multicast, documentation and 255.255.255.255 as OTHER:
 *     <i>tells the scope of IPv4 literals, range boundaries included</i>.</li>
 * <li>Classifies an IPv6 literal, short and long forms, upper and lower case (RFC 4291), ::1 the one
 *     loopback, fc00::/7 at both ends (fc00, fdff) and beside it (fbff, fec0), fe80::/10 at both ends
 *     (fe80, fe81, febf) and beside it (fe7f, fe00), multicast as OTHER, an IPv4-mapped literal as
 *     IPv6: <i>tells the scope of IPv6 literals, short and long forms</i>. A valid literal that is
 *     rejected is named as such.</li>
 * <li>Throws IllegalArgumentException, saying why, for null, the empty string and every other string
 *     that is not a literal: 3 or 5 numbers, an empty number (leading, trailing, double dot), 256,
 *     a leading zero, 127.1, hex, a sign, non-ASCII digits, spaces before or after, a lone "\r" or a
 *     tab, a prefix length, names, bad IPv6 (g, 1:2:3, 1::2::3), brackets, zones:
 *     <i>rejects what is not an address literal, without asking DNS</i> (another exception than
 *     IllegalArgumentException, NullPointerException say, is named as wrong).</li>
 * <li>Never asks DNS: the checkers' JVMs read only the kit's name table (test-hosts), which answers
 *     the non-literals a lookup would be asked with a TEST-NET address; the same check names the
 *     lookup.</li>
 * </ul>
 *
 * <h2>Task 2: {@code Ports.category}</h2>
 * <ul>
 * <li>0–1023 well-known, 1024–49151 registered, 49152–65535 dynamic, every edge (0, 1023, 1024,
 *     49151, 49152, 65535): <i>uses IANA's ranges, boundaries included</i>.</li>
 * <li>IllegalArgumentException outside 0–65535 (-1, 65536, both int extremes):
 *     <i>rejects numbers outside 0-65535</i>.</li>
 * </ul>
 *
 * <h2>Task 3: {@code Ports.listenOnEphemeralPort}</h2>
 * <ul>
 * <li>Listening, on 127.0.0.1 itself (not every interface, not ::1, not a looked-up name), on a port
 *     from the OS's ephemeral range, returned open: <i>listens on loopback, on a port the OS chose
 *     from its ephemeral range</i>.</li>
 * <li>Port 0, the OS's choice, so two at once differ and never collide:
 *     <i>gives a different free port each time</i>.</li>
 * <li>"The caller closes it": the check closes it; the kit's leak check finds any other socket.
 *     The method takes no argument, so no error path can be forced after its socket exists.</li>
 * </ul>
 *
 * <h2>Task 4: {@code Ports.isInUse}</h2>
 * <ul>
 * <li>True while a program listens on 127.0.0.1:port, and the trial socket closed although its bind
 *     failed (counted at once): <i>says a port is in use while a reference server listens on it</i>.</li>
 * <li>It tries to bind, it does not connect: true while the listener accepts nothing (backlog
 *     full), where a connect would time out: <i>says a port is in use while its listener is too busy
 *     to accept</i>.</li>
 * <li>It is about 127.0.0.1: false while only ::1 (or 127.0.0.2) holds the port, which a trial bound
 *     to every interface would collide with: <i>says 127.0.0.1's port is free while another loopback
 *     address (::1) holds the same port</i>.</li>
 * <li>False when nothing listens, and the port free again on return (the trial socket closed):
 *     <i>says a port is free when nothing listens, and leaves it free</i>.</li>
 * <li>IllegalArgumentException outside 1–65535 (0, -1, 65536, int extremes) with no socket left
 *     open (an argument checked too late), and 1 and 65535 taken: <i>rejects numbers outside
 *     1-65535, and takes 1 and 65535</i>.</li>
 * </ul>
 *
 * <h2>Task 5: {@code ConnectProbe.probe}</h2>
 * <ul>
 * <li>REACHABLE when something listens, and the connection closed at once: no socket of the probe
 *     open when it returns (counted at once), and the listener reads the end of it:
 *     <i>tells REACHABLE when a server listens, and closes its connection</i>.</li>
 * <li>REFUSED on ConnectException: <i>tells REFUSED when nothing listens on the port</i>.</li>
 * <li>TIMED_OUT on SocketTimeoutException, within its timeout, the timeout given to connect:
 *     <i>tells TIMED_OUT within its timeout when the connect never completes</i>.</li>
 * <li>Waits at most its timeout, and all of it, for 0.5 ms (a positive timeout never becomes 0,
 *     "wait forever"; nor is it rejected), 1.5 s and 2 s (toMillisPart, whole seconds):
 *     <i>waits its whole timeout, to the millisecond: 0.5 ms, 1.5 s, 2 s</i>.</li>
 * <li>A timeout beyond Integer.MAX_VALUE ms is a positive timeout (no int overflow):
 *     <i>takes a timeout longer than an int of milliseconds (30 days)</i>.</li>
 * <li>Any other failure of the connect is thrown, not reported as one of the three, and leaves no
 *     socket open: <i>throws, rather than answer, when the connect fails some other way (an
 *     unresolved address)</i>.</li>
 * <li>IllegalArgumentException for 0 and negative timeouts (-1 ms, -1 ns), with no socket left open
 *     (an argument checked too late): <i>rejects a timeout that is not positive</i>.</li>
 * <li>Refused and timed-out connects: the JDK closes the socket's descriptor itself when connect
 *     fails (JDK 17: the Socket still says open; JDK 25: closed), so a probe that forgets to close
 *     on those paths leaks nothing there; no check can, or need, tell it apart.</li>
 * </ul>
 */
package org.tcpworkbook.lab1;
