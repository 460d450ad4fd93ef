/**
 * Lab 3's checker. Every promise of the skeleton's Javadoc ({@code ChatServer}), of the chapter's
 * task text (docs lab3.adoc), and of the chat protocol and the given interfaces as lab 3 uses them
 * ({@code ChatProtocol}, {@code Replier}, {@code ServerEvents}), and the check that guards it
 * (Task N &gt; display name). The checks run with the platform defaults of another machine:
 * charset ISO-8859-1, line separator "\r\n", Turkish locale (labs/kit/platform.args).
 *
 * <table>
 * <caption>Promises and their checks</caption>
 * <tr><th>promise</th><th>check</th></tr>
 * <tr><td>bind: listens on address:port (port as asked)</td>
 *     <td>Task 1 &gt; listens on the port asked for</td></tr>
 * <tr><td>bind: port 0, a port the OS chooses; port() returns it</td>
 *     <td>Task 1 &gt; listens on a port the OS chose when asked for port 0</td></tr>
 * <tr><td>bind: listens on the address asked for, and no other (IPv4 and IPv6 literals; not
 *     getLocalHost(), not the wildcard, not a hard-coded loopback)</td>
 *     <td>Task 1 &gt; listens only on the address asked for, not on every interface; listens on the
 *     address asked for, also ::1 (IPv6); a getLocalHost() call is named wherever bind is called</td></tr>
 * <tr><td>bind: with room for {@code backlog} waiting connections (tried with 1, 2 and 3, none of them
 *     Java's default 50 nor Python's listen(5))</td>
 *     <td>Task 5 &gt; queues exactly backlog + 1 clients while it is busy with one</td></tr>
 * <tr><td>bind: @throws BindException if the port is taken, and leaves no socket open</td>
 *     <td>Task 1 &gt; reports a port that is taken as BindException (sockets counted the moment bind throws)</td></tr>
 * <tr><td>bind: @throws IllegalArgumentException for a port outside 0-65535 (-1, 65536), a backlog
 *     below 1 (0, -1), an idle timeout zero or negative (0, -1 ms, -0.5 ms), with a message, leaving no
 *     socket open</td>
 *     <td>Task 1 &gt; rejects a port, backlog or idle timeout that makes no sense</td></tr>
 * <tr><td>bind: an idle timeout longer than setSoTimeout can take is refused at bind(), not when the
 *     first client comes</td>
 *     <td>Task 1 &gt; refuses an idle timeout too long for setSoTimeout at bind(), or serves with it</td></tr>
 * <tr><td>bind: a client silent for idleTimeout is dropped (300 ms; 1.5 s exactly, not 500 ms nor 1 ms;
 *     0.5 ms is not 0 = for ever)</td>
 *     <td>Task 4 &gt; drops a client that stays silent, and serves the next; counts the idle timeout in
 *     milliseconds exactly</td></tr>
 * <tr><td>task 4: the timeout is on the accepted socket, not on the listener: accept() waits as long
 *     as it takes</td>
 *     <td>Task 4 &gt; waits in accept() as long as it takes</td></tr>
 * <tr><td>serve: accepts one client, answers each of its messages with the replier, turn by turn, UTF-8
 *     lines ending in \n (not the platform's charset, not println's \r\n)</td>
 *     <td>Task 2 &gt; answers each message in turn, Chinese both ways</td></tr>
 * <tr><td>task 2: one read is not one message; one reader per connection</td>
 *     <td>Task 2 &gt; reassembles a message that arrives one byte at a time; answers two messages that
 *     arrive in one write, in order</td></tr>
 * <tr><td>serve Javadoc / protocol: a line has at most ChatProtocol.MAX_LINE_BYTES bytes of UTF-8 (counted in
 *     bytes, not characters: 4096 bytes = 1365 Chinese characters and a letter, answered); one byte more is
 *     answered with ChatProtocol.LINE_TOO_LONG, then the end of that connection, and the next client is served</td>
 *     <td>Task 2 &gt; answers a line of MAX_LINE_BYTES bytes; one byte more gets LINE_TOO_LONG and the end, and
 *     the next client is served (an answer to the whole line is named: BufferedReader.readLine() unbounded)</td></tr>
 * <tr><td>serve Javadoc: the line is refused as soon as it passes the limit, its end never awaited (a client
 *     that never sends \n cannot make the server read without bound)</td>
 *     <td>Task 2 &gt; refuses a line as soon as it passes the limit, without waiting for its line end
 *     (4097 bytes, no \n: the error line within 1 s)</td></tr>
 * <tr><td>serve Javadoc / protocol: a line ends at \n; one \r right before it is dropped; a lone \r is
 *     part of the message (the replier gets it)</td>
 *     <td>Task 2 &gt; takes a lone \r as part of the message, and \r\n as a line end ("a\rb\n", "crlf\r\n",
 *     "\r\n", "\r开头\n")</td></tr>
 * <tr><td>serve: tells events.connected who connected (the address and port accept() gives)</td>
 *     <td>Task 2 &gt; reports the address and port of the client that connected</td></tr>
 * <tr><td>serve: goes back to accept when the conversation is over; serves clients one after another
 *     until close()</td>
 *     <td>Task 3 &gt; goes back to accept the next client when one closes, three in a row</td></tr>
 * <tr><td>task 3 / protocol: readLine() null (the client closed) ends the conversation, never a
 *     message to answer</td>
 *     <td>Task 3 &gt; goes back to accept the next client when one closes</td></tr>
 * <tr><td>task 3 / protocol: the client's quit word ends the conversation and is not answered; quit
 *     words are 关闭 and /quit, also with spaces around them (String.strip(), U+3000 included)</td>
 *     <td>Task 3 &gt; closes the connection after a quit word from the client; ends the conversation on
 *     a quit word with spaces around it, and on /quit</td></tr>
 * <tr><td>protocol: only the whole line is a quit word (a quit word inside a longer line, /QUIT, are
 *     messages); an empty line is a message</td>
 *     <td>Task 3 &gt; answers lines that only look like a quit word, and an empty line</td></tr>
 * <tr><td>task 3 / Replier: an answer that is a quit word is sent, then the conversation ends (spaces
 *     around it too, /quit too)</td>
 *     <td>Task 3 &gt; sends its own quit word, then closes the connection; sends its own quit word with
 *     spaces around it, or /quit</td></tr>
 * <tr><td>Replier: null ends the conversation at once (nothing sent)</td>
 *     <td>Task 3 &gt; ends the conversation at once when the replier answers null</td></tr>
 * <tr><td>task 3: a broken connection (reset) ends that conversation only</td>
 *     <td>Task 3 &gt; survives a client that resets, and serves the next</td></tr>
 * <tr><td>task 3 / ServerEvents.left: in every case the accepted socket is closed, then events.left
 *     is told, with the client that connected (close, quit word either way, null answer, reset, idle
 *     timeout, stop)</td>
 *     <td>Task 3 &gt; closes the accepted socket however the conversation ends, before telling
 *     events.left (seen by the socket's inode at the moment of the event, not by waiting for the
 *     collector); the Task 6 checks for a stop</td></tr>
 * <tr><td>skeleton TODO / ServerEvents.left: tell events why it ended, a reason of its own for each
 *     ending</td>
 *     <td>Task 3 &gt; tells events.left the client that left, and a reason of its own for each ending</td></tr>
 * <tr><td>task 5: a client that waited in the backlog is served when the conversation before it ends,
 *     its first message included</td>
 *     <td>Task 5 &gt; serves a client that waited in the backlog, its first message included</td></tr>
 * <tr><td>close: closes the listener, a serve() blocked in accept() returns at once (normally, not
 *     by throwing); new connects are refused</td>
 *     <td>Task 6 &gt; stops a server waiting for clients</td></tr>
 * <tr><td>close: also closes the connection of the client being served (in a read, or waiting for
 *     the replier), and serve() returns</td>
 *     <td>Task 6 &gt; stops a server in the middle of a conversation, promptly; stops a server that is
 *     waiting for the replier's answer</td></tr>
 * <tr><td>close: at any moment, also just after accept() (forced: the check holds serve() inside
 *     events.connected while it calls close())</td>
 *     <td>Task 6 &gt; stops a server whose close() comes just after accept()</td></tr>
 * <tr><td>every check: no socket or thread left behind</td>
 *     <td>the kit's after-each leak check (Peers)</td></tr>
 * </table>
 *
 * <p>Not checked by a lab's checker: a line that is not UTF-8 (ChatProtocol.NOT_UTF8) and the end of the
 * stream in the middle of a line; the given LineReader does both, and its own tests (labs/common, run by
 * the kit module) check them.
 */
package org.tcpworkbook.lab3;
