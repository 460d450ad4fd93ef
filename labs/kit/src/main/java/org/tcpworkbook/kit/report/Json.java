package org.tcpworkbook.kit.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // U+2028 and U+2029 are valid in JSON but end a line in JavaScript: escaped too.
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
