package org.tcpworkbook.chat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The mini-QQ chat's protocol, shared by the chat labs: each message is one line of UTF-8 text
 * ending in {@code \n}; the two sides take turns, one line each; either side ends the
 * conversation by sending a quit word.
 */
public final class ChatProtocol {
    /** Every byte on the wire is UTF-8. Never rely on the platform's default charset. */
    public static final Charset CHARSET = StandardCharsets.UTF_8;

    /** The words that end a conversation: the course's 关闭 ("close"), and /quit. */
    public static final Set<String> QUIT_WORDS = Set.of("关闭", "/quit");

    /**
     * What a server whose workers are all busy sends a client before it closes the connection
     * (lab 4): one line, then the end of the stream.
     */
    public static final String BUSY = "服务器忙，请稍后再试 (server busy, try again later)";

    private ChatProtocol() {
    }

    /** Whether this line ends the conversation. */
    public static boolean isQuit(String line) {
        return line != null && QUIT_WORDS.contains(line.strip());
    }
}
