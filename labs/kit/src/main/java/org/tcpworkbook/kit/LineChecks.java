package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.presentation.Representation;
import org.opentest4j.AssertionFailedError;

/**
 * The line checks that every chat server of labs 3 to 5 must pass the same way: a line longer than
 * ChatProtocol.MAX_LINE_BYTES is refused with the protocol's error line and the end of that
 * connection, and a lone \r is part of a message while \r\n ends a line. Each lab keeps its own
 * server, its own words for what ends ("conversation", "session") and its own notes link; this
 * class holds the logic and the messages they share.
 */
public final class LineChecks {
    /** One case of {@link #carriageReturns}: the bytes sent, the message they carry, and why. */
    public record Case(String sent, String message, String why) {
    }

    /** The lone-\r and \r\n cases, in the order they are sent. */
    public static final List<Case> CARRIAGE_RETURNS = List.of(
            new Case("a\rb\n", "a\rb", "a lone \\r is part of the message: the protocol ends a line at \\n only."
                    + " BufferedReader.readLine() also ends a line at a lone \\r, and makes two messages of"
                    + " it; the given LineReader does not"),
            new Case("crlf\r\n", "crlf", "one \\r right before the \\n belongs to the line end (nc -C, telnet and"
                    + " Windows send \\r\\n): the given LineReader drops it"),
            new Case("\r\n", "", "an empty line sent as \\r\\n is an empty message"),
            new Case("\r开头\n", "\r开头", "a \\r at the start of a line is part of the message too"));

    /** Checks the answer the server gave to one case. */
    @FunctionalInterface
    public interface Answer {
        void check(Case sent, String answer) throws Exception;
    }

    private final Duration wait;
    private final String errorLine;
    private final String errorLineHint;
    private final String unbounded;
    private final String notes;
    private final String unit;
    private final Representation representation;

    /**
     * @param wait how long a client waits for each line
     * @param errorLine ChatProtocol.LINE_TOO_LONG, the line a too long line must get
     * @param errorLineHint how to send it, e.g. "send e.errorLine() of the BadLineException"
     * @param unbounded why reading the whole line is wrong, and what to read with instead
     * @param notes the lab's notes link on bounded lines
     * @param unit what a refused line ends: "conversation", "session"
     * @param representation how the error line is shown in a failure, or null for AssertJ's default
     */
    public LineChecks(Duration wait, String errorLine, String errorLineHint, String unbounded, String notes,
            String unit, Representation representation) {
        this.wait = wait;
        this.errorLine = errorLine;
        this.errorLineHint = errorLineHint;
        this.unbounded = unbounded;
        this.notes = notes;
        this.unit = unit;
        this.representation = representation;
    }

    /**
     * Sends {@code maxBytes + 1} bytes and no line end, as a client that never sends one would, and
     * returns that in words, the {@code what} of {@link #assertRefused}.
     */
    public static String sendEndlessLine(ReferenceClient client, int maxBytes) throws IOException, InterruptedException {
        byte[] endless = new byte[maxBytes + 1];
        Arrays.fill(endless, (byte) 'x');
        client.sendBytes(endless);
        return (maxBytes + 1) + " bytes and no line end (as a client that never sends one would)";
    }

    /**
     * After {@code client} sent {@code what}, a line longer than the limit: its next line must be the
     * error line, then the end of its stream (a FIN, or a reset: the rest of the line may still be
     * unread when the server closes). {@code tooLongAnswer} is the answer the server would give if it
     * read the whole line (null if there is none); {@code endedEarly} says, at a failure, whether the
     * student's server ended early. The lab then checks that the server told its events.
     */
    public void assertRefused(ReferenceClient client, String what, String tooLongAnswer, Supplier<String> endedEarly)
            throws Exception {
        String line;
        try {
            line = client.readLine(wait);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError("The client sent " + what + ", more than the protocol allows, and expected"
                    + " your server's error line ChatProtocol.LINE_TOO_LONG: " + e.getMessage() + endedEarly.get() + " "
                    + unbounded + " " + notes, e);
        }
        if (tooLongAnswer != null && line.equals(tooLongAnswer)) {
            throw new AssertionFailedError("The client sent " + what + ", and your server read the whole line and had"
                    + " it answered (\"" + line + "\"): " + unbounded + " " + notes);
        }
        AbstractStringAssert<?> errorLineAssert = assertThat(line);
        if (representation != null) {
            errorLineAssert = errorLineAssert.withRepresentation(representation);
        }
        errorLineAssert.as("the line your server sent a client that had sent %s: the protocol's error line,"
                + " ChatProtocol.LINE_TOO_LONG (%s) %s", what, errorLineHint, notes).isEqualTo(errorLine);
        assertThat(client.awaitEnd(wait)).as("the connection of a client that had sent %s, after the error line: the"
                + " rest of that line is unread, so the %s cannot go on; close that connection %s", what, unit,
                notes).isIn(Outcome.EOF, Outcome.RESET);
    }

    /**
     * Sends {@code client} each of the {@link #CARRIAGE_RETURNS} cases and reads one answer line for
     * each, which {@code answer} checks. A missing answer fails with the case's explanation, the
     * client's own message and {@code afterSilence} (computed at the failure: the lab's notes, and
     * whether its server ended early).
     */
    public void carriageReturns(ReferenceClient client, Supplier<String> afterSilence, Answer answer) throws Exception {
        for (Case c : CARRIAGE_RETURNS) {
            client.sendBytes(c.sent().getBytes(StandardCharsets.UTF_8));
            String line;
            try {
                line = client.readLine(wait);
            } catch (AssertionFailedError e) {
                throw new AssertionFailedError("The client sent \"" + Transcript.escape(c.sent()) + "\": " + c.why()
                        + ". " + e.getMessage() + afterSilence.get(), e);
            }
            answer.check(c, line);
        }
    }
}
