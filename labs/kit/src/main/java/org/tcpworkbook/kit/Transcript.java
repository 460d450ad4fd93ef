package org.tcpworkbook.kit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened on the wire during one check, in order: every peer of a test writes here, and the
 * {@link Peers} extension appends it to the report of a failed check. Bytes are shown as escaped
 * text, and as hex where they are not valid UTF-8 or where text alone would hide them.
 */
public final class Transcript {
    private final long start = System.nanoTime();
    private final List<String> lines = new ArrayList<>();
    private boolean activity;

    /** Records how a peer was set up (not traffic): shown with the rest, but alone it is not worth a report. */
    public synchronized void note(String who, String event) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        lines.add(String.format("%6d ms  %-7s %s", ms, who, event));
    }

    /** Records one event, e.g. {@code record("server", "accepted a connection from 127.0.0.1:40000")}. */
    public synchronized void record(String who, String event) {
        note(who, event);
        activity = true;
    }

    /** Records bytes that crossed the wire, as escaped text (plus hex when not plain UTF-8 text). */
    public void recordBytes(String who, String verb, byte[] bytes, int offset, int length) {
        record(who, verb + " " + describe(bytes, offset, length));
    }

    /** Whether anything beyond set-up happened: a connection, bytes, a close. */
    public synchronized boolean hasActivity() {
        return activity;
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized String toString() {
        if (lines.isEmpty()) {
            return "(nothing happened on the wire)";
        }
        return String.join("\n", lines);
    }

    /**
     * {@code 12 bytes "你好\n"}, or with hex when the bytes are not valid UTF-8 or hold control
     * characters other than a line end: {@code 5 bytes "你\uFFFD" [e4 bd a0 e5 a5]}.
     */
    public static String describe(byte[] bytes, int offset, int length) {
        String text;
        boolean valid = true;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            valid = false;
            text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        String escaped = escape(text);
        boolean controls = text.chars().anyMatch(c -> c < 0x20 && c != '\n');
        String noun = length == 1 ? " byte " : " bytes ";
        if (valid && !controls) {
            return length + noun + "\"" + escaped + "\"";
        }
        return length + noun + "\"" + escaped + "\" [" + hex(bytes, offset, length) + "]"
                + (valid ? "" : " (not valid UTF-8)");
    }

    public static String describe(byte[] bytes) {
        return describe(bytes, 0, bytes.length);
    }

    /** Java-style escapes for line ends, tabs and other control characters; the rest as is. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Lower-case hex, one space between bytes: {@code e4 bd a0}. */
    public static String hex(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length * 3);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(String.format("%02x", bytes[offset + i] & 0xff));
        }
        return out.toString();
    }
}
