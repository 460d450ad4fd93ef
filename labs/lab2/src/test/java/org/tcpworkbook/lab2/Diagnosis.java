package org.tcpworkbook.lab2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;

/**
 * Names the bug a wrong line shows, by comparing it with the right bytes garbled the ways the usual
 * bugs garble them, so that a failure message gives the hint that fits what actually arrived (and
 * only that one):
 * <ul>
 *   <li>decoded or encoded in the platform's default charset (the checks run with ISO-8859-1, so
 *       each Chinese character becomes three Latin letters on the way in, a {@code ?} on the way out);</li>
 *   <li>one {@code read()} taken as one message: a piece of a line, or several lines joined;</li>
 *   <li>each read decoded on its own: U+FFFD where a character's bytes were split between reads.</li>
 * </ul>
 */
final class Diagnosis {
    static final String KEEP_READING = " receive() returned a piece of the line: keep reading until the \\n.";
    static final String SEVERAL_LINES = " Several lines arrived in one read(): return the first, keep the rest"
            + " for the next receive().";
    static final String PRINTLN = "The line ended with \\r\\n, not \\n: println (PrintWriter, PrintStream,"
            + " BufferedWriter.newLine, String.format's %n) ends a line with the platform's line separator, which is"
            + " \\r\\n on Windows (and in this checker), \\n elsewhere. The protocol's line end is \\n on every"
            + " platform: write '\\n' yourself.";
    static final String SPLIT_CHARACTER = "A character's bytes arrived in different reads: decode the whole line,"
            + " not each read on its own (an InputStreamReader does it right).";

    private Diagnosis() {
    }

    /**
     * Why {@code received} is not line {@code index} of {@code replies}, the lines the server sent in
     * that order, each ending in {@code \n}; "" when the difference shows none of the usual bugs.
     */
    static String ofReceived(List<String> replies, int index, String received) {
        return ofReceived(replies, index, received, false);
    }

    /**
     * As {@link #ofReceived(List, int, String)}, knowing whether receive() was seen waiting in
     * DataInputStream.readLine, which decodes no charset at all (each byte becomes one char, the
     * same as ISO-8859-1): the checks' platform default is ISO-8859-1 too, so only that tells the
     * two causes apart.
     */
    static String ofReceived(List<String> replies, int index, String received, boolean dataInputReadLine) {
        String expected = replies.get(index);
        if (received == null || received.equals(expected)) {
            return "";
        }
        if (received.equals(expected + "\n") || received.equals(expected + "\r\n")) {
            return "receive() kept the line end: return the line without its \\n.";
        }
        if (received.equals(expected.strip()) || received.equals(expected.trim())) {
            return "receive() took the spaces around the line away (strip() or trim()): they are part of the"
                    + " server's message. Return the line as it came, only without its \\n.";
        }
        byte[] stream = String.join("\n", replies).concat("\n").getBytes(UTF_8);
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            lineStart += (replies.get(i) + "\n").getBytes(UTF_8).length;
        }
        int lineEnd = lineStart + expected.getBytes(UTF_8).length; // the \n is at lineEnd
        Charset platform = Charset.defaultCharset();
        List<Charset> charsets = new java.util.ArrayList<>(List.of(UTF_8));
        if (!platform.equals(UTF_8)) {
            charsets.add(platform);
        }
        if (!charsets.contains(ISO_8859_1)) {
            charsets.add(ISO_8859_1); // one byte, one char: what DataInputStream.readLine does
        }
        // The bytes of which stretch of the stream, decoded how, give what receive() returned (or
        // that with its last \n: a one-read client strips it)? UTF-8 first: the simpler explanation.
        for (Charset charset : charsets) {
            Match match = find(stream, charset, received, lineStart, lineEnd);
            if (match == null) {
                continue;
            }
            String hint = "";
            if (!match.wholeLine) {
                hint = Lab2Test.ONE_READ_IS_NOT_ONE_MESSAGE + (match.severalLines ? SEVERAL_LINES : KEEP_READING);
            }
            if (charset.equals(ISO_8859_1) && (dataInputReadLine || !platform.equals(ISO_8859_1))) {
                hint += (hint.isEmpty() ? "" : " ") + (dataInputReadLine
                        ? "Your receive() read with DataInputStream.readLine, which decodes no charset at all: it"
                        + " takes each byte for one character (that is why it is deprecated), so each Chinese"
                        + " character's three UTF-8 bytes became three Latin letters. Read lines with a"
                        + " BufferedReader over an InputStreamReader in UTF-8 (ChatProtocol.CHARSET)."
                        : "Each byte became one character, as DataInputStream.readLine does: it decodes no"
                        + " charset at all. " + Lab2Test.NAME_THE_CHARSET);
            } else if (!charset.equals(UTF_8)) {
                hint += (hint.isEmpty() ? "" : " ") + "The bytes were decoded with " + platform
                        + ", this platform's default charset (an InputStreamReader, a Scanner or new String"
                        + " without a charset). " + Lab2Test.NAME_THE_CHARSET;
            }
            return hint;
        }
        if (received.indexOf('\uFFFD') >= 0) {
            return SPLIT_CHARACTER;
        }
        if (received.indexOf('\n') >= 0 || received.indexOf('\r') >= 0) {
            return Lab2Test.ONE_READ_IS_NOT_ONE_MESSAGE + SEVERAL_LINES;
        }
        return "";
    }

    /** What {@code message} became at the server, if the hint can tell; "" if not. */
    static String ofSent(String message, String received) {
        Charset platform = Charset.defaultCharset();
        if (received == null || received.equals(message)) {
            return "";
        }
        if (received.endsWith("\r")) {
            return PRINTLN + (received.equals(message + "\r") ? "" : " " + ofSent(message, received.substring(0,
                    received.length() - 1)));
        }
        if (received.equals(message.strip()) || received.equals(message.trim())) {
            return "Your client took the spaces around the message away (strip() or trim()): they are part of it."
                    + " Send the message as it is.";
        }
        if (platform.equals(UTF_8)) {
            return "";
        }
        if (received.equals(new String(message.getBytes(platform), UTF_8))) {
            return "Your client encoded the text with " + platform + ", this platform's default charset, which"
                    + " has no bytes for Chinese: it sent a ? for each such character. "
                    + Lab2Test.NAME_THE_CHARSET.replace("Decode", "Encode");
        }
        return "";
    }

    private record Match(boolean wholeLine, boolean severalLines) {
    }

    private static Match find(byte[] stream, Charset charset, String received, int lineStart, int lineEnd) {
        Match found = null;
        for (int from = 0; from < stream.length; from++) {
            for (int to = from + 1; to <= stream.length; to++) {
                String decoded = new String(Arrays.copyOfRange(stream, from, to), charset);
                if (!decoded.equals(received) && !decoded.equals(received + "\n")) {
                    continue;
                }
                boolean wholeLine = from == lineStart && (to == lineEnd || to == lineEnd + 1);
                if (wholeLine) {
                    return new Match(true, false);
                }
                boolean severalLines = false;
                for (int i = from; i < to - 1; i++) {
                    severalLines |= stream[i] == '\n';
                }
                found = found == null ? new Match(false, severalLines) : found;
            }
        }
        return found;
    }
}
