package org.tcpworkbook.chat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Objects;

/**
 * Reads the chat protocol's lines from a stream, and never holds more than a line's limit of them:
 * use it instead of {@code BufferedReader.readLine()}, which keeps reading (and growing its buffer)
 * until a line end comes, however long that takes.
 *
 * <ul>
 * <li>A line is the bytes up to a {@code \n}. One {@code \r} right before the {@code \n} is dropped
 *     ({@code \r\n} from {@code nc -C}, telnet or Windows); a {@code \r} anywhere else is part of the
 *     message, never a line end.</li>
 * <li>At most {@code maxLineBytes} bytes ({@link ChatProtocol#MAX_LINE_BYTES} unless told otherwise)
 *     before the line end: one byte more and {@link #readLine()} throws {@link BadLineException} at
 *     once, without waiting for the rest of the line, and without reading it.</li>
 * <li>The bytes are decoded as UTF-8, strictly: a line that is not UTF-8 throws
 *     {@link BadLineException} (never a silent U+FFFD).</li>
 * <li>The end of the stream: {@code null} at a line boundary; in the middle of a line, an
 *     {@link EOFException}: a message is a whole line, and the sender stopped in the middle of one.</li>
 * </ul>
 *
 * <p>Memory: the line so far ({@code maxLineBytes} at most) and one read buffer of 8 KB. A read that
 * times out ({@code SocketTimeoutException}) loses nothing: the next {@link #readLine()} goes on
 * with the same line. After a {@link BadLineException} for a line too long, the stream is in the
 * middle of that line: every later call throws again; close the connection. Not thread-safe: one
 * reader per connection, used by one thread.
 */
public final class LineReader {
    private static final int READ_BUFFER = 8192;

    private final InputStream in;
    private final int max;
    private final byte[] line;
    private int length;
    /** A {@code \r} was read last: it is dropped if a {@code \n} follows, else it is part of the line. */
    private boolean carriageReturn;
    private final byte[] buffer = new byte[READ_BUFFER];
    private int position;
    private int end;
    private boolean ended;
    private boolean tooLong;
    private final CharsetDecoder decoder = ChatProtocol.CHARSET.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** A reader of lines of at most {@link ChatProtocol#MAX_LINE_BYTES} bytes. */
    public LineReader(InputStream in) {
        this(in, ChatProtocol.MAX_LINE_BYTES);
    }

    /** A reader of lines of at most {@code maxLineBytes} bytes (without the line end). */
    public LineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("a line may have 1 byte or more, not " + maxLineBytes);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.max = maxLineBytes;
        this.line = new byte[maxLineBytes];
    }

    /**
     * The next line, without its line end; {@code null} at the end of the stream.
     *
     * @throws BadLineException  if the line is longer than the limit (thrown once the limit is passed,
     *                           the rest unread) or is not UTF-8 (the whole line read)
     * @throws EOFException      if the stream ends in the middle of a line
     * @throws IOException       if reading fails (a read timeout loses nothing: call again)
     */
    public String readLine() throws IOException {
        if (tooLong) {
            throw BadLineException.tooLong(max);
        }
        while (true) {
            if (position == end && !fill()) {
                if (length == 0 && !carriageReturn) {
                    return null;
                }
                int partial = length + (carriageReturn ? 1 : 0);
                length = 0;
                carriageReturn = false;
                throw new EOFException("the stream ended in the middle of a line: " + partial
                        + (partial == 1 ? " byte" : " bytes") + " and no \\n");
            }
            byte b = buffer[position++];
            if (b == '\n') {
                carriageReturn = false;
                return finishLine();
            }
            if (carriageReturn) {
                carriageReturn = false;
                append((byte) '\r');                        // a lone \r: part of the message
            }
            if (b == '\r') {
                carriageReturn = true;                      // kept aside until we know what follows
            } else {
                append(b);
            }
        }
    }

    private void append(byte b) throws BadLineException {
        if (length == max) {
            tooLong = true;
            length = 0;
            throw BadLineException.tooLong(max);
        }
        line[length++] = b;
    }

    private String finishLine() throws BadLineException {
        int n = length;
        length = 0;
        try {
            return decoder.reset().decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw BadLineException.notUtf8(n);
        }
    }

    /** Reads more bytes into the empty buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            ended = true;
            return false;
        }
        position = 0;
        end = n;
        return true;
    }
}
