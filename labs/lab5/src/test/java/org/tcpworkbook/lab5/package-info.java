/**
 * Lab 5's checker. Its promise table: every sentence of the skeleton's Javadoc, of the chapter's task
 * text (lab5.adoc) and of the chat protocol (ChatProtocol, Replier, ServerEvents) as it applies to
 * lab 5, and the check that fails when that sentence is broken. Checks are named Task N &gt; display
 * name; "after-each" is the kit's leak check (a socket or thread the check left behind);
 * "assertInLeft" and "assertReason" run inside the checks named with them.
 *
 * <table>
 * <caption>Promises and the checks that guard them</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 *
 * <tr><td colspan="2"><b>ClosingServer.bind / port (Task 1)</b></td></tr>
 * <tr><td>listens on address:port, 0: a port the OS chooses; port() says which</td>
 *     <td>Task 1 &gt; listens on a port the OS chose; Task 7 (a port asked for)</td></tr>
 * <tr><td>listens on the address asked for only</td><td>Task 1 &gt; listens only on the address asked for</td></tr>
 * <tr><td>room for {@code backlog} waiting connections (test value 3, not Java's default 50)</td>
 *     <td>Task 1 &gt; honours the backlog asked for</td></tr>
 * <tr><td>rebinding the port of a server that just stopped works at once (TIME_WAIT, SO_REUSEADDR)</td>
 *     <td>Task 7 &gt; binds the port again at once</td></tr>
 * <tr><td>@throws BindException if the port is taken; the socket is closed (error path)</td>
 *     <td>Task 1 &gt; reports a port that is taken; after-each</td></tr>
 * <tr><td>@throws IllegalArgumentException for a port outside 0-65535 (-1, 65536, MIN_VALUE) or a backlog
 *     below 1 (0, -1), before any socket exists</td><td>Task 1 &gt; rejects a port or backlog that makes no sense, accepts every one that does (65535 and backlog 1 accepted); after-each</td></tr>
 *
 * <tr><td colspan="2"><b>ClosingServer.serve / clients (Task 2)</b></td></tr>
 * <tr><td>accepts on the caller's thread, one session thread per client</td>
 *     <td>Task 2 &gt; talks to a second client while the first stays connected</td></tr>
 * <tr><td>events.connected(client) with accept()'s remote address; clients() lists it from then on</td>
 *     <td>Task 2 &gt; reports each client ... lists both (inside events.connected too)</td></tr>
 * <tr><td>UTF-8 lines in, replier's answer + "\n" out, flushed (no println: "\r\n" is named)</td>
 *     <td>every exchange (assertAnswer); Task 2 &gt; reassembles a message one byte at a time</td></tr>
 * <tr><td>a message is the line as it arrived: spaces around it, an empty line, a tab</td>
 *     <td>Task 2 &gt; passes each message to the replier as it arrived</td></tr>
 * <tr><td>serve Javadoc: a session reads with the given LineReader; a line longer than MAX_LINE_BYTES (bytes,
 *     not characters) gets LINE_TOO_LONG, then the end of that session only; the others chat on, newcomers are
 *     accepted</td>
 *     <td>Task 2 &gt; answers a line of MAX_LINE_BYTES bytes; one byte more gets LINE_TOO_LONG and the end of that
 *     session only; refuses a line as soon as it passes the limit, without waiting for its line end</td></tr>
 * <tr><td>serve Javadoc / protocol: a line ends at \n, one \r right before it dropped, a lone \r part of the
 *     message</td>
 *     <td>Task 2 &gt; takes a lone \r as part of the message, and \r\n as a line end</td></tr>
 * <tr><td>clients(): address and port as accept() gave them</td><td>Task 2 &gt; lists both in clients()</td></tr>
 * <tr><td>clients(): a copy, safe while sessions come and go</td>
 *     <td>Task 3 &gt; ends the session of a client that closes (a list kept by the caller does not change);
 *     Task 2 &gt; keeps its sessions in collections that several threads may change at once (race, forced: each
 *     HashMap field is replaced before serve() by a {@link org.tcpworkbook.lab5.GatedMap}, which holds the listener's
 *     thread inside put() while the checker's thread calls clients() and kick(); one lock around every use keeps it
 *     out, no lock lets it in, every run. Unsafe collections of other classes are still judged by their type)</td></tr>
 * <tr><td>serve() returns (does not throw) once the listener is closed</td>
 *     <td>Task 5 &gt; closes the listener; Task 6 (awaitServeReturned)</td></tr>
 *
 * <tr><td colspan="2"><b>Sessions ending (Task 3; ChatProtocol, Replier, ServerEvents)</b></td></tr>
 * <tr><td>readLine() null: the client closed; null is never passed to the replier; socket closed (no
 *     CLOSE_WAIT); client removed; the other client chats on</td>
 *     <td>Task 3 &gt; ends the session of a client that closes</td></tr>
 * <tr><td>a reset ends that session only; serve() and newcomers go on</td>
 *     <td>Task 3 &gt; survives a client that resets</td></tr>
 * <tr><td>a client's quit word (spaces around it allowed) ends the session, unanswered; a longer line
 *     containing one is a message</td><td>Task 3 &gt; ends the session on a client's quit word</td></tr>
 * <tr><td>the replier's quit word is sent, then the session ends; null ends it at once, nothing sent</td>
 *     <td>Task 3 &gt; sends the replier's quit word ... null</td></tr>
 * <tr><td>order: close the socket, remove the client, then events.left, on the session's own thread
 *     (ServerEvents.left: "over and its socket closed")</td>
 *     <td>assertInLeft, from inside events.left: in the close, reset, quit, null and kick checks</td></tr>
 * <tr><td>the reason names what happened: closed/left, reset, quit, kicked, shut down</td>
 *     <td>assertReason: in the close, reset, quit, kick and shutdown checks</td></tr>
 *
 * <tr><td colspan="2"><b>ClosingServer.kick (Task 4)</b></td></tr>
 * <tr><td>closes that client's socket: the client reads -1 (a FIN; SO_LINGER 0 sends RST, named)</td>
 *     <td>Task 4 &gt; closes that one client's socket (assertEndedWithFin)</td></tr>
 * <tr><td>the others and the listener are not affected</td><td>Task 4 &gt; closes that one client's socket</td></tr>
 * <tr><td>does nothing for a client that is not connected (never connected; has left)</td>
 *     <td>Task 4 &gt; does nothing for a client that is not connected</td></tr>
 *
 * <tr><td colspan="2"><b>ClosingServer.stopAccepting (Task 5)</b></td></tr>
 * <tr><td>closes the listener only: serve() returns, new connects are refused</td>
 *     <td>Task 5 &gt; closes the listener</td></tr>
 * <tr><td>the clients connected now go on chatting</td><td>Task 5 &gt; leaves the connected clients chatting</td></tr>
 *
 * <tr><td colspan="2"><b>ClosingServer.shutdown (Task 6); GOODBYE</b></td></tr>
 * <tr><td>no new clients</td><td>Task 6 &gt; of a server without clients</td></tr>
 * <tr><td>every client gets GOODBYE (a line, "\n" included), then its connection is closed (FIN)</td>
 *     <td>Task 6 &gt; says goodbye to every client; of many clients at once (20)</td></tr>
 * <tr><td>returns once every session thread has ended (joins them)</td>
 *     <td>Task 6 &gt; says goodbye to every client (events.left takes 300 ms: late sessions, live threads)</td></tr>
 * <tr><td>... or after grace: not before it while sessions run, not the grace per session, never unbounded
 *     (1.5 s: a seconds and a milliseconds part)</td>
 *     <td>Task 6 &gt; with busy sessions: returns after its grace (events.left held); with a grace under
 *     1 ms (0.5 ms is not join(0), for ever)</td></tr>
 * <tr><td>whole lines under a lock that is never held while the replier runs: a client mid-conversation</td>
 *     <td>Task 6 &gt; while a client is mid-conversation (the replier held)</td></tr>
 * <tr><td>a client whose connection broke does not stop the goodbyes, nor make shutdown throw</td>
 *     <td>Task 6 &gt; goes on when a client's connection is broken</td></tr>
 * <tr><td>close(): shutdown with a grace of 2 s</td><td>given code, not the student's</td></tr>
 *
 * <tr><td colspan="2"><b>Requests.ask (Task 8)</b></td></tr>
 * <tr><td>sends the request in UTF-8, as it is (nothing added: println, default charset named)</td>
 *     <td>Task 8 &gt; sends the whole request ...; sends the request byte for byte</td></tr>
 * <tr><td>shuts down its output (not close) and returns everything up to -1, in UTF-8</td>
 *     <td>Task 8 &gt; sends the whole request ...; reads a response that arrives in pieces</td></tr>
 * <tr><td>the timeout bounds the connect</td><td>Task 8 &gt; bounds the connect by the timeout</td></tr>
 * <tr><td>the timeout bounds each read: exactly (1.2 s not 200 ms), 0.5 ms not 0; a timeout is not the end</td>
 *     <td>Task 8 &gt; gives up with SocketTimeoutException; bounds each read by the timeout exactly</td></tr>
 * <tr><td>@throws IllegalArgumentException for a timeout that is not positive (0, -1 ms, -1 ns), no
 *     socket left</td><td>Task 8 &gt; rejects a timeout that is not positive; after-each</td></tr>
 * <tr><td>error paths leave nothing open: refused, connect timed out, read timed out, reset midway</td>
 *     <td>Task 8 &gt; throws when the connect is refused; bounds the connect; gives up with
 *     SocketTimeoutException; throws when the server resets; after-each each time</td></tr>
 * </table>
 *
 * <p>Not checked, on purpose: ServerEvents.left's "the last thing it does for the client" (nothing the
 * checker can see follows it); ChatProtocol.BUSY and ServerEvents.turnedAway (lab 4 only); a line that is
 * not UTF-8 (NOT_UTF8) and the end of the stream in the middle of a line (the given LineReader does both;
 * its own tests in labs/common check them).
 */
package org.tcpworkbook.lab5;
