package org.tcpworkbook.chat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The mini-QQ chat's protocol, shared by the chat labs: each message is one line of UTF-8 text
 * ending in {@code \n} (a {@code \r} right before it is dropped, a {@code \r} anywhere else is part
 * of the message), of at most {@link #MAX_LINE_BYTES} bytes; the two sides take turns, one line each;
 * either side ends the conversation by sending a quit word. A server reads lines with
 * {@link LineReader}, and answers a line too long or not UTF-8 with an error line
 * ({@link #LINE_TOO_LONG}, {@link #NOT_UTF8}), then closes that connection.
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

    /**
     * The longest line either side may send, in bytes of UTF-8 without the line end: 4096, a page of
     * text (4096 Latin letters, or 1365 Chinese characters at 3 bytes each), more than anyone types
     * into one chat message, and as much as a Linux terminal holds of one line before it is sent. A
     * server reads at most this much of a line: a client that never sends a line end cannot make it
     * keep reading, and memory for a thousand clients' lines stays a few megabytes.
     */
    public static final int MAX_LINE_BYTES = 4096;

    /**
     * What a server sends a client whose line is longer than {@link #MAX_LINE_BYTES}, before it
     * closes that connection: one line, then the end of the stream.
     */
    public static final String LINE_TOO_LONG = "消息太长，连接关闭 (line too long: at most " + MAX_LINE_BYTES
            + " bytes, closing)";

    /**
     * What a server sends a client whose line is not UTF-8, before it closes that connection: one
     * line, then the end of the stream.
     */
    public static final String NOT_UTF8 = "消息不是 UTF-8，连接关闭 (line is not UTF-8, closing)";

    private ChatProtocol() {
    }

    /** Whether this line ends the conversation. */
    public static boolean isQuit(String line) {
        return line != null && QUIT_WORDS.contains(line.strip());
    }
}
