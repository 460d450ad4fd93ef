package org.tcpworkbook.chat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The chat room's protocol (lab 6), on top of {@link ChatProtocol}'s lines (UTF-8, {@code \n},
 * at most {@link ChatProtocol#MAX_LINE_BYTES} bytes, read with {@link LineReader}).
 *
 * <ol>
 * <li>On connect the room sends {@link #NICK_PROMPT}. The member's first line is its nickname: a
 *     valid one ({@link #isValidNick}) that nobody in the room has is answered with
 *     {@link #welcome}, and {@link #joined} goes to every other member; a taken one gets
 *     {@link #NICK_TAKEN}, an invalid one {@link #NICK_INVALID}, and the member tries again.</li>
 * <li>Then any line is one of: {@code /who} (answered {@link #who}); {@code /nick NEW} (the
 *     member is renamed, {@link #renamed} to everyone, or {@link #NICK_TAKEN} / {@link #NICK_INVALID}
 *     to it alone); a quit word of {@link ChatProtocol#QUIT_WORDS} ({@link #BYE} to it, its
 *     connection closed, {@link #left} to the others); any other line starting with {@code /}
 *     ({@link #UNKNOWN_COMMAND}); an empty line ({@link #EMPTY}); otherwise a message, sent to
 *     every other member, never to its sender, as {@link #said}.</li>
 * <li>A line too long or not UTF-8 is answered with its {@link BadLineException#errorLine()} and
 *     ends that member's connection, as in labs 3 to 5; {@link #left} goes to the others. A message
 *     whose {@link #said} line would pass the limit gets {@link #TOO_LONG_TO_SAY} and is not sent.</li>
 * <li>A member that reads too slowly (its outgoing queue is full) is dropped: its connection
 *     closed, {@link #dropped} to the others.</li>
 * <li>When the room stops, every member gets {@link #GOODBYE}, then the end of the stream.</li>
 * </ol>
 * Lines from the room start with {@code "*** "} (news), {@code "!!! "} (an error, for one member)
 * or {@code "["} (a message).
 */
public final class RoomProtocol {
    /** The first line a new connection gets: the room asks for a nickname. */
    public static final String NICK_PROMPT = "*** 昵称? nickname?";
    /** The longest nickname, in characters. */
    public static final int MAX_NICK = 16;
    /** The answer to a nickname somebody in the room has already. */
    public static final String NICK_TAKEN = "!!! 昵称已被占用 nickname taken, try another";
    /** The answer to a nickname that breaks the rule of {@link #isValidNick}. */
    public static final String NICK_INVALID = "!!! 昵称无效 nickname: 1 to " + MAX_NICK
            + " letters, digits, _ or -, try another";
    /** The answer to a line that starts with "/" but is no command. */
    public static final String UNKNOWN_COMMAND = "!!! 未知命令 unknown command: /who, /nick NEW, /quit";
    /** The answer to an empty line: nothing to say. */
    public static final String EMPTY = "!!! 空消息 empty line, not sent";
    /** The answer to a message whose {@link #said} line would be longer than the line limit. */
    public static final String TOO_LONG_TO_SAY = "!!! 消息太长 with your nickname in front it passes "
            + ChatProtocol.MAX_LINE_BYTES + " bytes, not sent";
    /** The last line a member that quits gets. */
    public static final String BYE = "*** 再见 bye";
    /** The last line every member gets when the room stops. */
    public static final String GOODBYE = "*** 聊天室关闭 the room closes, goodbye";

    private static final Pattern NICK = Pattern.compile("[\\p{L}\\p{N}_-]{1," + MAX_NICK + "}");

    private RoomProtocol() {
    }

    /** 1 to {@value #MAX_NICK} letters (any script: 小明 is one), digits, {@code _} or {@code -}. */
    public static boolean isValidNick(String nick) {
        return nick != null && NICK.matcher(nick).matches();
    }

    /** What the member that just joined gets, with who else is here. */
    public static String welcome(String nick, List<String> others) {
        return "*** 欢迎 welcome " + nick + (others.isEmpty() ? ", you are alone" : ", here: " + String.join(", ", others));
    }

    /** A message, as every other member gets it. */
    public static String said(String nick, String text) {
        return "[" + nick + "] " + text;
    }

    /** Whether a message from {@code nick} fits in one line once {@link #said} puts the nickname in front. */
    public static boolean fits(String nick, String text) {
        return said(nick, text).getBytes(ChatProtocol.CHARSET).length <= ChatProtocol.MAX_LINE_BYTES;
    }

    public static String joined(String nick) {
        return "*** " + nick + " 加入 joined";
    }

    public static String left(String nick) {
        return "*** " + nick + " 离开 left";
    }

    public static String dropped(String nick) {
        return "*** " + nick + " 掉线 dropped: reads too slowly";
    }

    public static String renamed(String from, String to) {
        return "*** " + from + " 改名 is now " + to;
    }

    /** The answer to {@code /who}: every member, in the order they joined. */
    public static String who(List<String> members) {
        return "*** 在线 online: " + String.join(", ", members);
    }

    /** The nickname asked for by {@code /nick NEW}, or null if the line is not that command. */
    public static String nickCommand(String line) {
        String s = line.strip();
        if (s.equals("/nick")) {
            return "";
        }
        return s.startsWith("/nick ") ? s.substring(6).strip() : null;
    }
}
