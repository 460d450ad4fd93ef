package org.tcpworkbook.edition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a source file of the instructor edition into its student-edition text, by the markers the
 * sources carry: AsciiDoc's own conditional directives on the attribute {@value #ATTRIBUTE}.
 * <pre>
 * ifndef::student-edition[]      left out of the student edition (with the two directive lines)
 * ...
 * endif::[]
 * ifdef::student-edition[]       kept in the student edition only (the directive lines go)
 * ...
 * endif::[]
 * </pre>
 * The same lines work in a pom or any other file, alone on their line or as an XML comment
 * ({@code <!-- ifndef::student-edition[] -->}). Conditionals on other attributes pass through
 * untouched (their {@code endif::[]} is matched to them, not to ours); the one-line forms
 * {@code ifdef::student-edition[text]} and {@code ifndef::student-edition[text]} work too.
 *
 * <p>So the full notes rendered with the attribute set and the stripped notes rendered without it
 * say the same, and the stripped text no longer mentions what the student edition lacks. A marker
 * left open, an {@code endif} with nothing to close, or a conditional that mixes this attribute
 * with others is an error that names the file and line: a half-stripped file must never ship.
 */
public final class EditionText {

    public static final String ATTRIBUTE = "student-edition";

    /** {@code ifdef::a,b[text]}, alone on its line or inside {@code <!-- -->}. */
    private static final Pattern OPEN = Pattern.compile("^(?:<!--\\s*)?(ifdef|ifndef|ifeval)::([^\\[]*)\\[(.*)\\](?:\\s*-->)?$");
    private static final Pattern CLOSE = Pattern.compile("^(?:<!--\\s*)?endif::([^\\[]*)\\[\\](?:\\s*-->)?$");

    private EditionText() {
    }

    /** A conditional still open: ours (keep or drop its lines) or another one (passed through). */
    private record Frame(boolean ours, boolean keep, int line) {
    }

    /**
     * The student-edition text of {@code text}; {@code where} names the file in errors.
     *
     * @throws IllegalArgumentException if the markers do not balance
     */
    public static String strip(String text, String where) {
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = text.split("\r?\n", -1);
        List<String> out = new ArrayList<>(lines.length);
        Deque<Frame> open = new ArrayDeque<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            boolean emitting = open.stream().allMatch(Frame::keep);
            Matcher opening = OPEN.matcher(line.strip());
            Matcher closing = CLOSE.matcher(line.strip());
            if (opening.matches()) {
                String kind = opening.group(1);
                List<String> names = List.of(opening.group(2).split("[,+]"));
                boolean ours = names.contains(ATTRIBUTE);
                if (ours && (names.size() > 1 || kind.equals("ifeval"))) {
                    throw new IllegalArgumentException(where + ":" + number + ": a conditional on " + ATTRIBUTE
                            + " must name it alone: " + line.strip());
                }
                boolean keep = !ours || kind.equals("ifdef");
                String inline = opening.group(3);
                if (!inline.isEmpty() && !kind.equals("ifeval")) {
                    // One-line form: no endif follows.
                    if (!ours) {
                        if (emitting) {
                            out.add(line);
                        }
                    } else if (keep && emitting) {
                        out.add(inline);
                    }
                    continue;
                }
                open.push(new Frame(ours, keep, number));
                if (!ours && emitting) {
                    out.add(line);
                }
                continue;
            }
            if (closing.matches()) {
                if (open.isEmpty()) {
                    throw new IllegalArgumentException(where + ":" + number + ": " + line.strip() + " closes nothing");
                }
                Frame frame = open.pop();
                String named = closing.group(1);
                if (!named.isEmpty() && named.equals(ATTRIBUTE) != frame.ours()) {
                    throw new IllegalArgumentException(where + ":" + number + ": " + line.strip()
                            + " closes the conditional opened at line " + frame.line() + ", which is "
                            + (frame.ours() ? "" : "not ") + "on " + ATTRIBUTE);
                }
                if (!frame.ours() && open.stream().allMatch(Frame::keep)) {
                    out.add(line);
                }
                continue;
            }
            if (emitting) {
                out.add(line);
            }
        }
        if (!open.isEmpty()) {
            Frame frame = open.peek();
            throw new IllegalArgumentException(where + ":" + frame.line() + ": a conditional opened here is never closed (endif::[])");
        }
        return String.join(newline, out);
    }

    /** Whether {@code text} holds a marker on {@value #ATTRIBUTE} (files without one are copied byte for byte). */
    public static boolean hasMarkers(String text) {
        return text.contains("def::" + ATTRIBUTE + "[");
    }
}
