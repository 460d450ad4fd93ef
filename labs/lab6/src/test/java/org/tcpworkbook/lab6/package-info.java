/**
 * Lab 6's checker. Its promise table: every sentence of the skeleton's Javadoc (ChatRoom,
 * RoomClient), of RoomProtocol and RoomEvents as lab 6 uses them, and the check that fails when
 * that sentence is broken. Checks are named Task N &gt; display name; "after-each" is the kit's leak
 * check (a socket or thread the check left behind). The mutants named are in the mutant catalogue of the instructor edition.
 *
 * <table>
 * <caption>Promises and the checks that guard them</caption>
 * <tr><th>promise</th><th>guarded by</th></tr>
 *
 * <tr><td colspan="2"><b>ChatRoom.serve, members (Task 1)</b></td></tr>
 * <tr><td>NICK_PROMPT first; a free valid nickname gets welcome(nick, the others), events.joined, and
 *     joined(nick) to the others</td><td>Task 1 &gt; welcomes a member ...</td></tr>
 * <tr><td>no line reaches a new member before its welcome; joined goes to the members its welcome
 *     named only</td><td>every join of every check (RoomPeer.joinAs reads the prompt, then the welcome);
 *     Task 2 &gt; 50 members (counts the joins each member hears)</td></tr>
 * <tr><td>NICK_TAKEN, NICK_INVALID (space, command, empty, 17 characters); 16 accepted; try again</td>
 *     <td>Task 1 &gt; answers what is not a message ...</td></tr>
 * <tr><td>a message to every other member as [nick] text, never to its sender</td>
 *     <td>Task 1 &gt; welcomes a member ...; Task 2 &gt; 50 members (lab6-sender-hears-itself)</td></tr>
 * <tr><td>/who in join order; /nick (renamed to everyone; taken, invalid to it alone)</td>
 *     <td>Task 1 &gt; welcomes a member ...; answers what is not a message ...</td></tr>
 * <tr><td>quit words: BYE, then the end; left(nick) to the others; events.left(nick, "quit")</td>
 *     <td>Task 1 &gt; welcomes a member ... (lab6-leave-untold)</td></tr>
 * <tr><td>EMPTY, UNKNOWN_COMMAND, TOO_LONG_TO_SAY to the sender only, the connection kept</td>
 *     <td>Task 1 &gt; answers what is not a message ...</td></tr>
 * <tr><td>a line over MAX_LINE_BYTES: LINE_TOO_LONG, the end of that connection only, left to the
 *     others; the room goes on</td><td>Task 1 &gt; ends only the connection of a line too long</td></tr>
 * <tr><td>a member that closes or resets is removed at once, the others told</td>
 *     <td>Task 1 &gt; removes at once a member that closes or resets</td></tr>
 *
 * <tr><td colspan="2"><b>Broadcast (Task 2)</b></td></tr>
 * <tr><td>every line to every other member exactly once, whole, in each sender's order (50 members,
 *     4 lines each, all at once)</td><td>Task 2 &gt; 50 members at once</td></tr>
 * <tr><td>a nickname checked and taken in one step (first claim held in events.claiming)</td>
 *     <td>Task 2 &gt; two members claiming one nickname (lab6-nick-check-then-act)</td></tr>
 * <tr><td>a member leaving or resetting mid-broadcast (held in events.delivering) is removed at once;
 *     the broadcast reaches the rest; no lock the room needs is held in delivering</td>
 *     <td>Task 2 &gt; a member that leaves / resets in the middle of a broadcast
 *     (lab6-remove-while-iterating, lab6-broadcast-under-room-lock)</td></tr>
 *
 * <tr><td colspan="2"><b>Bounded queues (Task 3)</b></td></tr>
 * <tr><td>@throws IllegalArgumentException for a queue limit below 1 (0, -1)</td>
 *     <td>Task 3 &gt; rejects a queue limit below 1</td></tr>
 * <tr><td>a slow or dead reader never stalls the room: each line reaches a reading member within 2 s
 *     (the stated bound) while a member reads nothing</td><td>Task 3 &gt; drops a member that stops reading
 *     (lab6-broadcast-under-room-lock, lab6-writes-from-sender-thread)</td></tr>
 * <tr><td>a full queue drops its member: dropped(nick) to the others, events.left(nick, "dropped..."),
 *     members() without it, its connection closed</td><td>Task 3 &gt; drops a member that stops reading
 *     (lab6-unbounded-queue, lab6-full-queue-loses-line, lab6-drop-untold)</td></tr>
 *
 * <tr><td colspan="2"><b>ChatRoom.close (Task 4)</b></td></tr>
 * <tr><td>serve() returns</td><td>every check (ServerHarness.stop)</td></tr>
 * <tr><td>GOODBYE as every member's last line, then the end of its stream, while members talk</td>
 *     <td>Task 4 &gt; says goodbye to every member (lab6-close-no-goodbye)</td></tr>
 * <tr><td>returns once every member's threads ended (events.left takes 300 ms)</td>
 *     <td>Task 4 &gt; says goodbye ... (lab6-close-no-join); after-each</td></tr>
 *
 * <tr><td colspan="2"><b>RoomClient.chat (Task 5)</b></td></tr>
 * <tr><td>the room's lines shown as they arrive, the user silent (full duplex)</td>
 *     <td>Task 5 &gt; shows the room's lines as they come (lab6-client-takes-turns)</td></tr>
 * <tr><td>typed lines sent at once, UTF-8 + "\n"; over the limit: TOO_LONG shown, not sent</td>
 *     <td>Task 5 &gt; sends what the user types at once ...</td></tr>
 * <tr><td>screen.show one call at a time (a room line held in show while the keyboard thread has news)</td>
 *     <td>Task 5 &gt; never shows two lines at once (lab6-client-no-screen-lock)</td></tr>
 * <tr><td>a quit word (/quit, 关闭) sent, then the end of the stream; the room's last lines, CLOSED;
 *     returns with the socket closed</td><td>Task 5 &gt; quits on /quit (lab6-client-quit-no-end)</td></tr>
 * <tr><td>the room's close: CLOSED; its reset: RESET; returns while the user is silent</td>
 *     <td>Task 5 &gt; returns when the room closes or resets</td></tr>
 * </table>
 *
 * <p>Not checked, on purpose: the order of lines of different speakers (the room does not promise
 * one); NOT_UTF8 (the given LineReader's own tests check it); the keyboard thread ending after the
 * room closed (it waits for the next line typed: a read of System.in cannot be interrupted; the
 * checker ends its keyboard after each check). Torn lines from several threads writing into one
 * stream are looked for by the 50-member check, but not forced: the JDK's socket output stream
 * writes each write() call whole, so only a line written in pieces could tear, and no callback sits
 * between the pieces; a room that writes from the speakers' threads is caught instead by the slow
 * reader check (lab6-writes-from-sender-thread).
 */
package org.tcpworkbook.lab6;
