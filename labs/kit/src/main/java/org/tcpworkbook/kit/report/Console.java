package org.tcpworkbook.kit.report;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints the report in UTF-8, whatever the JVM's default charset: the checkers run with
 * {@code file.encoding=ISO-8859-1}, which would turn every Chinese character into '?'.
 */
final class Console {
    private Console() {
    }

    /** Prints text whose lines end with "\n" (not the JVM's line.separator, "\r\n" in the checkers). */
    static void print(String text) {
        PrintStream out = System.out;
        if (out.getClass().getName().startsWith("org.apache.maven.surefire.")) {
            // Surefire's stream hands whole strings to Maven, which prints them in its own console's
            // charset; bytes written to it would be decoded with the fork's default (ISO-8859-1).
            text.lines().forEach(out::println);
            out.flush();
            return;
        }
        PrintStream utf8 = new PrintStream(out, false, StandardCharsets.UTF_8);
        utf8.print(text);
        utf8.flush();
    }
}
