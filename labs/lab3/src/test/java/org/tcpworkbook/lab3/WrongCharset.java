package org.tcpworkbook.lab3;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises the answer of a server that decodes or encodes with some charset other than UTF-8 (the
 * platform's default, usually): the checker works out what such a server would send back, and
 * compares.
 */
final class WrongCharset {
    /** UTF-8 first: where the decoding side cannot be told (an ASCII message), blame only the encoding. */
    private static final List<Charset> SUSPECTS = suspects();

    private WrongCharset() {
    }

    private static List<Charset> suspects() {
        Set<Charset> set = new LinkedHashSet<>();
        set.add(StandardCharsets.UTF_8);
        set.add(Charset.defaultCharset());
        set.add(StandardCharsets.ISO_8859_1);
        set.add(StandardCharsets.US_ASCII);
        return List.copyOf(set);
    }

    /**
     * " Your server read … as ISO-8859-1 …" when {@code received} is what a server that decodes the
     * client's bytes or encodes its answer in another charset than UTF-8 would send back for
     * {@code message}; "" otherwise.
     */
    static String diagnose(String message, String received) {
        if (received == null) {
            return "";
        }
        for (Charset in : SUSPECTS) {
            for (Charset out : SUSPECTS) {
                if (in.equals(StandardCharsets.UTF_8) && out.equals(StandardCharsets.UTF_8)) {
                    continue;
                }
                String seen = new String(message.getBytes(StandardCharsets.UTF_8), in);
                byte[] sent = StudentServer.answer(seen).getBytes(out);
                if (new String(sent, StandardCharsets.UTF_8).equals(received)) {
                    return describe(in, out);
                }
            }
        }
        return "";
    }

    private static String describe(Charset in, Charset out) {
        List<String> wrong = new java.util.ArrayList<>();
        if (!in.equals(StandardCharsets.UTF_8)) {
            wrong.add("decoded the client's UTF-8 bytes as " + in);
        }
        if (!out.equals(StandardCharsets.UTF_8)) {
            wrong.add("encoded its answer as " + out);
        }
        return " Your server " + String.join(" and ", wrong) + " (this JVM's default charset is "
                + Charset.defaultCharset() + "): name UTF-8 (ChatProtocol.CHARSET) on the InputStreamReader and the"
                + " OutputStreamWriter, never the platform's default.";
    }
}
