/**
 * Lab 4's checker. The promise table: every sentence of {@code ChatServer}'s Javadoc, of the
 * chapter's task text (lab4.adoc, Tasks 1 to 4) and of the chat protocol as lab 4 uses it
 * ({@code ChatProtocol}, {@code Replier}, {@code ServerEvents}), and the check that fails when it is
 * broken. Checks are named by their method in {@link org.tcpworkbook.lab4.Lab4Test} (T1 to T4: the
 * nested class of the task) or in {@link org.tcpworkbook.lab4.StudentServer} (run after every check).
 *
 * <h2>ChatServer's Javadoc</h2>
 * <table>
 * <caption>ChatServer</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 * <tr><td>each client has its own conversation on its own thread</td>
 *     <td>T1 servesBWhileAIsSilent, T1 fiftyClientsAtOnce</td></tr>
 * <tr><td>... or one of a fixed pool of workers</td><td>T2 reusesAFreedWorker (at most 2 threads for 6 clients)</td></tr>
 * <tr><td>each client dropped after {@code idleTimeout} of silence</td>
 *     <td>T2 dropsASilentClient (300 ms), T2 idleTimeoutAsGiven (1.5 s and 2 s: no sooner, not never; 0.5 ms is not 0)</td></tr>
 * <tr><td>{@code workers} 0: a new thread per client, with no limit</td>
 *     <td>StudentServer.start (0 must not be rejected), T1 fiftyClientsAtOnce (50 at once),
 *     T1 threadsEndWhenClientsLeave (threads, not a cached pool)</td></tr>
 * <tr><td>otherwise at most that many clients at once, by a fixed pool</td>
 *     <td>T2 reusesAFreedWorker, T2 turnsAwayWhenBusy, T2 turnsAwayClientsThatCameEarly</td></tr>
 * <tr><td>a client that arrives while all are busy is sent BUSY and closed</td>
 *     <td>T2 turnsAwayWhenBusy, T2 turnsAwayClientsThatCameEarly (6 clients waiting before serve()),
 *     T2 takesThePermitOnTheAcceptingThread (2 permits free while both workers' threads are held in events.left: the
 *     third newcomer is turned away, so the permit is taken on the accepting thread, no check-then-act), T2 closesATurnedAwayClientThatReset (closed on the error
 *     path too)</td></tr>
 * <tr><td>(Task 2) a negative number of workers, an idle timeout that is not positive: IllegalArgumentException</td>
 *     <td>T2 rejectsNegativeWorkers (-1, MIN_VALUE; 0 s, -1 s)</td></tr>
 * <tr><td>serve() accepts clients until close()</td>
 *     <td>StudentServer.endedEarly (every check), T1 survivesAReset, StudentServer.stop (it returns after close())</td></tr>
 * <tr><td>a slow or silent client never keeps the others waiting</td><td>T1 servesBWhileAIsSilent</td></tr>
 * <tr><td>each conversation reads with the given LineReader: a line longer than MAX_LINE_BYTES is answered with
 *     its error line and ends that conversation only; a client cannot make the server read without bound, and
 *     the others chat on</td>
 *     <td>T1 lines: boundsTheLine (4096 bytes answered, 4097 refused; an answer to the whole line names
 *     BufferedReader.readLine()), refusesWithoutTheLineEnd (4097 bytes and no \n, with a pool of 2: the error
 *     line within 1 s), both with client A and a newcomer still answered afterwards</td></tr>
 * <tr><td>... a line ends at \n, one \r right before it dropped, a lone \r part of the message</td>
 *     <td>T1 lines: carriageReturns</td></tr>
 * <tr><td>online(): the clients connected right now</td>
 *     <td>T3 knowsWhoIsOnline, T3 removesBeforeLeft, T3 changesSharedStateSafely (a leave while the checker holds every lock of the server)</td></tr>
 * <tr><td>... in the order they came</td><td>T3 listsInTheOrderTheyCame</td></tr>
 * <tr><td>messages(): how many messages the server has answered</td>
 *     <td>T3 countsOnlyAnswers (not the quit word, not a null answer; the replier's quit word is an answer)</td></tr>
 * <tr><td>... since it started, all clients together</td>
 *     <td>T3 countsEveryMessage (never reset), T3 changesSharedStateSafely (an answer while the checker holds every lock of the server)</td></tr>
 * <tr><td>close() closes the listener: serve() returns, new clients are refused</td>
 *     <td>StudentServer.stop, T4 stopsThreadPerClient / stopsAPool (a connect is refused)</td></tr>
 * <tr><td>close() closes every client's socket: a conversation blocked in read() ends at once</td>
 *     <td>T4 stopsThreadPerClient (20 clients), T4 stopsAPool, T4 waitsForConversationsMidAnswer</td></tr>
 * <tr><td>close() waits, up to a deadline, for every conversation's thread</td>
 *     <td>StudentServer.stop (every thread ended), T4 waitsForConversationsMidAnswer (it waits: both designs),
 *     T4 oneDeadlineForAll (the deadline is one in total)</td></tr>
 * </table>
 *
 * <h2>The chapter's task text</h2>
 * <table>
 * <caption>lab4.adoc</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 * <tr><td>T1: the accepting thread never reads or writes a client's socket</td><td>T1 servesBWhileAIsSilent</td></tr>
 * <tr><td>T1: the conversation is Lab 3's: read and answer until null, a quit word either way, the timeout, a
 *     broken connection</td>
 *     <td>T1 answersEveryLineAndEndsOnTheQuitWord, T1 endsOnTheRepliersWord, T1 survivesAReset,
 *     T2 dropsASilentClient, T1 threadsEndWhenClientsLeave</td></tr>
 * <tr><td>T1: close the socket, then tell events.left; run() returns and the thread ends</td>
 *     <td>T1 tellsEventsFromTheConversation (looks from inside left), T1 threadsEndWhenClientsLeave</td></tr>
 * <tr><td>T1: a conversation's socket, reader and writer are its own, never a server's field</td>
 *     <td>T1 fiftyClientsAtOnce (crossed answers found by draining every answered client, so the verdict does not
 *     depend on which client the shared writer pointed to)</td></tr>
 * <tr><td>T1: accept() throws because the listener was closed: return</td><td>StudentServer.stop</td></tr>
 * <tr><td>T2: BUSY and a \n, close, tell turnedAway</td>
 *     <td>T2 turnsAwayWhenBusy (looks from inside turnedAway: line and end already there)</td></tr>
 * <tr><td>T2: give the permit back whatever ended the conversation, before telling left</td>
 *     <td>T2 freesTheWorkerOnEveryEnding (quit word either way, null, close, reset), T2 dropsASilentClient
 *     (timeout), T2 reusesAFreedWorker</td></tr>
 * <tr><td>T3: a list many threads may change at once; add when a conversation starts, remove before left</td>
 *     <td>T3 knowsWhoIsOnline, T3 removesBeforeLeft (online() read from inside left), T3 changesSharedStateSafely</td></tr>
 * <tr><td>T3: an AtomicLong, one increment per answer sent</td>
 *     <td>T3 countsEveryMessage, T3 changesSharedStateSafely, T3 countsOnlyAnswers</td></tr>
 * <tr><td>T4: close the listener, every conversation's socket, wait within a deadline of one's own</td>
 *     <td>T4 stopsThreadPerClient, T4 stopsAPool, T4 waitsForConversationsMidAnswer, T4 oneDeadlineForAll</td></tr>
 * </table>
 *
 * <h2>The chat protocol and the callbacks</h2>
 * <table>
 * <caption>ChatProtocol, Replier, ServerEvents</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 * <tr><td>every byte is UTF-8, never the platform's default</td>
 *     <td>every answer has Chinese in it; Lab4Test.charset names the writer's or the reader's default charset
 *     (the checker runs with ISO-8859-1)</td></tr>
 * <tr><td>a line has at most MAX_LINE_BYTES bytes of UTF-8 (bytes, not characters); a longer one gets
 *     LINE_TOO_LONG, then the end of the stream</td>
 *     <td>T1 lines: boundsTheLine, refusesWithoutTheLineEnd (error line, then EOF or a reset: the rest of the
 *     line may be unread; events.left told)</td></tr>
 * <tr><td>a \r right before the \n belongs to the line end; a lone \r is part of the message</td>
 *     <td>T1 lines: carriageReturns ("a\rb\n" is one message, "crlf\r\n" is "crlf", "\r\n" is empty)</td></tr>
 * <tr><td>each message is one line ending in \n</td>
 *     <td>Lab4Test.lineEnd on every line read: \r\n is named as println with Windows' separator (the checker
 *     runs with it); the busy line must end in \n (ReferenceClient.readLine says "with no line end")</td></tr>
 * <tr><td>a quit word, stripped, ends the conversation; a line that merely contains one does not</td>
 *     <td>T1 answersEveryLineAndEndsOnTheQuitWord (" /quit ", "\t关闭 ", "I will say 关闭 later", "/quit, I said",
 *     an empty line)</td></tr>
 * <tr><td>Replier: a quit word ends the conversation after it is sent; null ends it at once</td>
 *     <td>T1 endsOnTheRepliersWord</td></tr>
 * <tr><td>ServerEvents.connected: the client's address, as accept() tells</td>
 *     <td>StudentServer.awaitEvents / ownAddress (the server's own address is named), every check</td></tr>
 * <tr><td>ServerEvents.left: the conversation is over and its socket closed; on the conversation's thread; a reason</td>
 *     <td>T1 tellsEventsFromTheConversation</td></tr>
 * <tr><td>ServerEvents.turnedAway: it was sent BUSY and its socket closed</td><td>T2 turnsAwayWhenBusy</td></tr>
 * <tr><td>BUSY: one line, then the end of the stream</td><td>T2 turnsAwayWhenBusy</td></tr>
 * </table>
 *
 * <h2>Sockets left open (issue 15): serve() accepts, so every path that ends a client's socket</h2>
 * A reset mid-conversation (T1 survivesAReset), the idle timeout (T2 dropsASilentClient: the client sees the end),
 * a turned-away client whose busy line cannot be written (T2 closesATurnedAwayClientThatReset: sockets counted the
 * moment the event is told), the stop (T4); the kit's after-each leak check backs each of them.
 *
 * <h2>Races, forced</h2>
 * A lost count++ or a corrupted ArrayList needs two threads inside a few instructions at once: no
 * scheduling trick makes that happen every run (the replier-held spin gate first tried here caught
 * neither, 0 of 1 runs, on a loaded two-core machine). A plain ArrayList is replaced before serve() by
 * a {@link org.tcpworkbook.lab4.GatedList}, which holds the thread adding a newcomer inside add() while
 * the checker's thread calls online() and another client leaves: one lock around every use (wherever
 * it is) keeps them out, no lock lets them in, every run. A count++ has no call of the checker's
 * inside it, so {@link org.tcpworkbook.lab4.HeldLocks} judges its cause: it holds every lock the server
 * could guard it with (its monitor, its class's, its lock objects and Locks, those of its own helper
 * objects) while a client talks and another leaves; a counter (or an unsafe collection of another
 * class) that changes meanwhile is changed with no lock, every run. The permit's check-then-act is forced through events.left: both workers'
 * threads are held there, their permits already back, while 3 newcomers arrive; no worker can take a
 * permit before the accepting thread has dealt with all three. (Forcing it through the backlog alone,
 * 6 clients before serve(), let it survive 1 run in 20 in the proof.)
 *
 * <p>Not checked by this checker: a line that is not UTF-8 (NOT_UTF8) and the end of the stream in the middle
 * of a line; the given LineReader does both, and its own tests (labs/common, run by the kit module) check them.
 */
package org.tcpworkbook.lab4;
