package org.tcpworkbook.kit.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.tcpworkbook.kit.Transcript;

/**
 * Writes JSON from plain values: {@code null}, {@link String}, {@link Boolean}, {@link Integer},
 * {@link Long}, {@link BigDecimal}, {@link List} (an array) and {@link Map} with string keys (an
 * object, in the map's order). Enough for the run's record and the graders' results files, without
 * a library on the class path of every checker run. Every control character is escaped.
 */
final class Json {

    private Json() {
    }

    /** The value as JSON: objects and arrays one member a line, indented by two spaces. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, "", out);
        return out.append('\n').toString();
    }

    private static void write(Object value, String indent, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append(quote(s));
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.stripTrailingZeros().toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            String inner = indent + "  ";
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("a JSON object's key must be a string, not " + e.getKey());
                }
                out.append(first ? "\n" : ",\n").append(inner).append(quote(key)).append(": ");
                write(e.getValue(), inner, out);
                first = false;
            }
            out.append('\n').append(indent).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            String inner = indent + "  ";
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n").append(inner);
                write(list.get(i), inner, out);
            }
            out.append('\n').append(indent).append(']');
        } else {
            throw new IllegalArgumentException("no JSON for a " + value.getClass().getName() + ": " + value);
        }
    }

    /** A JSON string: quotes, backslashes and every character below U+0020 escaped. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        // The transcript's escapes are JSON's; U+2028 and U+2029 are valid in JSON but end a line in
        // JavaScript, so they are escaped too.
        return '"' + Transcript.escape(s).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + '"';
    }
}
