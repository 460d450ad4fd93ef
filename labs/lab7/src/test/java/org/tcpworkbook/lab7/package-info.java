/**
 * Lab 7's checker. Its promise table: every sentence of the skeleton's Javadoc (VirtualEchoServer,
 * SelectorEchoServer) and of the chapter's tasks, and the check that fails when that sentence is
 * broken. Checks are named Task N &gt; display name; "after-each" is the kit's leak check (a socket
 * or platform thread the check left behind). The mutants named are in the mutant catalogue of the
 * instructor edition.
 *
 * <table>
 * <caption>Promises and the checks that guard them</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 *
 * <tr><td colspan="2"><b>VirtualEchoServer (Task 1)</b></td></tr>
 * <tr><td>every line sent back with "\n", UTF-8; one \r before \n dropped, a lone \r kept</td>
 *     <td>Task 1 &gt; echoes each line</td></tr>
 * <tr><td>lines read with a LineReader, however the bytes come: one byte at a time, three lines in
 *     one write, 400 lines cut across reads</td><td>Task 1 &gt; cuts lines sent one byte at a time
 *     (lab7-virtual-read-as-line)</td></tr>
 * <tr><td>a line too long gets LINE_TOO_LONG, then the end; the others are served on</td>
 *     <td>Task 1 &gt; answers a line over the limit</td></tr>
 * <tr><td>each client served on a virtual thread of its own: 2,000 at once within 10 s, fewer than
 *     50 platform threads</td><td>Task 1 &gt; holds 2,000 clients at once
 *     (lab7-fixed-pool, lab7-platform-thread-per-client)</td></tr>
 * <tr><td>one client's trouble is its own: a client sending 4 MB does not starve another; a client
 *     that reads nothing blocks its own conversation only, and gets every echo, whole and in order</td>
 *     <td>Task 1 &gt; serves a client while another sends as fast as it can; delivers every echo ... to a
 *     client that reads slowly (lab7-virtual-one-write-lock)</td></tr>
 * <tr><td>end of stream: the echoes, then the end; a reset: the socket closed; connections() counts
 *     them gone at once; nothing left open</td><td>Task 1 &gt; closes a connection at its end of stream
 *     ... and at a reset (lab7-virtual-socket-left-open, lab7-virtual-reset-still-counted); after-each</td></tr>
 * <tr><td>no CPU while the clients are idle</td><td>Task 1 &gt; uses no CPU while its clients are idle</td></tr>
 * <tr><td>close(): the listener and every client's socket closed, serve() returns, the conversations
 *     waited for</td><td>Task 1 &gt; close() ends serve() ... (lab7-close-keeps-clients); after-each</td></tr>
 *
 * <tr><td colspan="2"><b>SelectorEchoServer: accept, read, cut lines (Task 2)</b></td></tr>
 * <tr><td>the same echo and line ends</td><td>Task 2 &gt; echoes each line (lab7-lone-cr-dropped)</td></tr>
 * <tr><td>a partial line kept in the connection's buffer (compacted) until its \n; several lines of
 *     one read each answered</td><td>Task 2 &gt; cuts lines sent one byte at a time (lab7-buffer-cleared)</td></tr>
 * <tr><td>a line measured as it comes: LINE_TOO_LONG before any \n, then the end</td>
 *     <td>Task 2 &gt; answers a line over the limit (lab7-no-line-limit)</td></tr>
 * <tr><td>every client on the serving thread: 2,000 at once, at most 2 threads started</td>
 *     <td>Task 2 &gt; holds 2,000 clients at once on one thread</td></tr>
 * <tr><td>back to select() after each read: a busy client does not starve another</td>
 *     <td>Task 2 &gt; serves a client while another sends as fast as it can</td></tr>
 *
 * <tr><td colspan="2"><b>Partial writes and OP_WRITE (Task 3)</b></td></tr>
 * <tr><td>what write() did not take stays, written first next time; OP_WRITE while something is left;
 *     others served meanwhile, no CPU spent waiting</td><td>Task 3 &gt; delivers every echo ... to a
 *     client that reads slowly (lab7-partial-write-ignored, lab7-write-until-done)</td></tr>
 * <tr><td>OP_WRITE only while something is left; select() blocks</td><td>Task 3 &gt; uses no CPU while its
 *     clients are idle (lab7-op-write-always, lab7-select-now)</td></tr>
 *
 * <tr><td colspan="2"><b>The end of a connection and close() (Task 4)</b></td></tr>
 * <tr><td>-1: answer what came, then close the channel; a reset: close at once; counted gone</td>
 *     <td>Task 4 &gt; closes a connection at its end of stream ... (lab7-end-of-stream-ignored,
 *     lab7-key-left-after-end); after-each</td></tr>
 * <tr><td>close(): serve() returns, every channel and the listener closed</td>
 *     <td>Task 4 &gt; close() ends serve() ...; after-each</td></tr>
 *
 * <tr><td colspan="2"><b>Given code (ungraded)</b></td></tr>
 * <tr><td>the epilogue's NettyEchoServer echoes with the protocol's line ends and line limit</td>
 *     <td>NettyEpilogueTest, in src/netty/java with the epilogue (tagged ungraded; the proof, which compiles src/test/java alone, does not run it)</td></tr>
 * </table>
 *
 * <p>Not checked, on purpose: lines that are not UTF-8 (the given LineReader's own tests check it);
 * the time close() waits for a conversation that never ends (a
 * virtual thread is not among the threads the leak check sees); pinning of carriers by
 * synchronized on JDK 21 to 23 (the checker runs on whatever JDK 21+ the student has).
 */
package org.tcpworkbook.lab7;
