package org.tcpworkbook.chat;

import java.net.ProtocolException;

/**
 * A line the chat protocol does not allow: longer than {@link ChatProtocol#MAX_LINE_BYTES}, or not
 * UTF-8. A server answers it with {@link #errorLine()} (and a {@code \n}) and closes that connection:
 * the other clients chat on.
 */
public final class BadLineException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final String errorLine;
    private final boolean tooLong;

    private BadLineException(String message, String errorLine, boolean tooLong) {
        super(message);
        this.errorLine = errorLine;
        this.tooLong = tooLong;
    }

    static BadLineException tooLong(int max) {
        return new BadLineException("a line longer than " + max + " bytes: the rest of it was left unread",
                ChatProtocol.LINE_TOO_LONG, true);
    }

    static BadLineException notUtf8(int length) {
        return new BadLineException("a line of " + length + " bytes that are not UTF-8", ChatProtocol.NOT_UTF8, false);
    }

    /** The line to send the client before closing its connection: {@link ChatProtocol#LINE_TOO_LONG} or {@link ChatProtocol#NOT_UTF8}. */
    public String errorLine() {
        return errorLine;
    }

    /** Whether the line was too long (else: it was not UTF-8). */
    public boolean tooLong() {
        return tooLong;
    }
}
