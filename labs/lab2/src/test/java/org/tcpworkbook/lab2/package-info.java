/**
 * Lab 2's checker. Every promise of the skeleton's Javadoc, of the chapter's task text (lab2.adoc) and
 * of the chat protocol as it applies to a client (tcp-and-sockets.adoc#chat-protocol), and the check
 * that fails when it is broken. Checks are named by their display names; "leak check" is the kit's
 * after-each check (Peers), which fails a passed check that left a socket or thread behind. The
 * checks run with default charset ISO-8859-1, line separator "\r\n" and a Turkish locale
 * (labs/kit/platform.args), and resolve names only from labs/kit/test-hosts.
 *
 * <table>
 * <caption>Promise → check</caption>
 * <tr><th>promise</th><th>check</th></tr>
 * <tr><td>connect: connects to {@code server}</td><td>Task 1 "connects to the server"</td></tr>
 * <tr><td>connect: gives up after {@code connectTimeout}; @throws SocketTimeoutException</td>
 *     <td>Task 1 "gives up after its connect timeout" (300 ms; names swapped timeouts),
 *     "gives up after a connect timeout of 0.5 ms, 1.5 s or 2 s" (sub-millisecond not 0,
 *     toMillisPart, whole seconds only)</td></tr>
 * <tr><td>connect: @throws ConnectException if nothing listens</td>
 *     <td>Task 1 "reports a refused connection as ConnectException"</td></tr>
 * <tr><td>connect: @throws IllegalArgumentException if a timeout is not positive; task text: before
 *     anything is created</td><td>Task 1 "rejects timeouts that are not positive" (0, -1 ms, -1 ns, each
 *     argument) and its leak check</td></tr>
 * <tr><td>task text (hint): a duration too long for an int is refused too</td>
 *     <td>Task 1 "rejects a timeout too long for an int of milliseconds" (2^32 + 300 ms, each argument;
 *     Long.MAX_VALUE s, which toMillis() cannot convert)</td></tr>
 * <tr><td>connect (skeleton TODO, task text step 5): close the socket if anything fails after it was
 *     created</td><td>leak check of every Task 1 check that makes connect fail (refused, timed out,
 *     illegal timeout). A refused or timed-out connect releases its descriptor itself on JDK 17 and 25;
 *     what leaks is a socket whose descriptor exists before a late failure (an option set before an
 *     argument check, setSoTimeout refusing a negative timeout after the connect)</td></tr>
 * <tr><td>connect: every later receive() waits at most {@code readTimeout}</td>
 *     <td>Task 5 "gives up on a server that never answers, after the read timeout" (300 ms),
 *     "gives up after a read timeout of 0.5 ms, 1.5 s or 2 s"</td></tr>
 * <tr><td>send: the message's UTF-8 bytes and a {@code \n}, flushed at once (protocol: one line of
 *     UTF-8 text ending in \n; task text: not println)</td><td>Task 2 "sends each message as one UTF-8
 *     line, flushed at once, Chinese included" (Chinese, spaces around, an empty message; names the
 *     default charset, a missing flush, a missing \n, println's \r\n, strip())</td></tr>
 * <tr><td>send: @throws IllegalArgumentException if the message holds a line break ({@code \n} or
 *     {@code \r}, task text); bad input loses nothing</td><td>Task 2 "refuses a message with a line
 *     break, which would become two messages" (and the next message arrives whole, nothing of the
 *     refused ones before it)</td></tr>
 * <tr><td>receive: the next message without its line end, however the bytes arrive (task text:
 *     fragmentation, a character split between reads, coalescing; decoded as UTF-8)</td>
 *     <td>Task 3 "returns the server's line", "reassembles a line that arrives one byte at a time",
 *     "decodes a character whose bytes arrive in different reads", "keeps the rest when two lines arrive
 *     in one read" (names a reader made per call), "returns each line as it came: spaces around it, an
 *     empty line"; messages name the default charset or DataInputStream.readLine</td></tr>
 * <tr><td>receive: null once the server has closed; again on every later call, without blocking</td>
 *     <td>Task 4 "returns null, again and again, once the server has closed"</td></tr>
 * <tr><td>task text: a reset is not an end, the IOException goes through</td>
 *     <td>Task 4 "throws an IOException when the server resets the connection"</td></tr>
 * <tr><td>receive: @throws SocketTimeoutException if no whole line arrives within the read timeout</td>
 *     <td>Task 5 "gives up on a server that never answers" (names a Scanner or a catch returning null),
 *     "gives up on a line that never ends, after the read timeout"</td></tr>
 * <tr><td>close: closes the connection, the server reads end of stream; Closeable: a second close has
 *     no effect</td><td>Task 6 "closes the connection: the server reads the end of the stream"</td></tr>
 * <tr><td>Chat.run: read a line, send it, print the answer, in order; stops, closing the connection,
 *     when the keyboard input ends</td><td>Task 7 "sends each typed line, prints each answer, and closes
 *     when the input ends" (nothing sent after the input ended)</td></tr>
 * <tr><td>Chat.run: uses READ_TIMEOUT, an answer is typed by a person</td>
 *     <td>Task 7 "waits for an answer that takes more than a second"</td></tr>
 * <tr><td>Chat.run: stops when you type a quit word, sent first; leaves at once (protocol: a client
 *     that sends a quit word leaves without waiting)</td><td>Task 7 "sends the quit word 关闭 and leaves
 *     at once, without waiting for an answer"</td></tr>
 * <tr><td>Chat.run: stops when the server answers with a quit word, prints it, sends nothing more</td>
 *     <td>Task 7 "stops when the server answers with a quit word"</td></tr>
 * <tr><td>protocol: the quit words are 关闭 and /quit, also with spaces around them, on either side</td>
 *     <td>Task 7 "takes a quit word with spaces around it for a quit word, typed or answered" and the
 *     two checks above</td></tr>
 * <tr><td>protocol: a quit word is a whole line; a message is any line, the empty one too</td>
 *     <td>Task 7 "goes on when a longer line only contains a quit word, typed or answered", "goes on after
 *     an empty line, typed or answered"</td></tr>
 * <tr><td>Chat.run: stops when the server closes the connection (protocol: either side may close)</td>
 *     <td>Task 7 "stops, without an exception or a busy loop, when the server closes the connection"</td></tr>
 * <tr><td>task text: close the connection in every case, also when an exception ends the chat; let
 *     exceptions through</td><td>Task 7 "lets a reset through as an IOException, and closes its
 *     connection all the same" and its leak check</td></tr>
 * <tr><td>connect to the address given (not the machine's own name)</td><td>every check that connects;
 *     {@link org.tcpworkbook.lab2.LocalHostHint} names InetAddress.getLocalHost() in the message</td></tr>
 * <tr><td>platform defaults: name UTF-8, end lines with \n, no locale-dependent case mapping</td>
 *     <td>every check, run under platform.args (ISO-8859-1, "\r\n", Turkish)</td></tr>
 * </table>
 *
 * <p>Not a promise, so not checked: the prompt and the wording of Chat.run's screen lines (only the
 * answers, in order, are).
 */
package org.tcpworkbook.lab2;
