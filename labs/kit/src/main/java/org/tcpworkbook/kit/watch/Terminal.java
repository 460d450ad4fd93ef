package org.tcpworkbook.kit.watch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The keys of the watch loop. Where standard input is a terminal on a Unix-like system, it is put
 * in character mode ({@code stty -icanon -echo}) so that one key press acts at once, and restored
 * on exit (Ctrl-C included); elsewhere keys are read by line (type the key, then Enter), and an
 * empty line counts as Enter.
 */
final class Terminal {

    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    /** Character mode if stdin is a terminal that stty can set, else line mode. */
    static Terminal open() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new Terminal(null);
        }
        try {
            if (stty("-g") == null) {
                return new Terminal(null);
            }
            String saved = stty("-g").strip();
            if (stty("-icanon", "-echo", "min", "1") == null) {
                return new Terminal(null);
            }
            Terminal terminal = new Terminal(saved);
            Runtime.getRuntime().addShutdownHook(new Thread(terminal::restore, "watch: restore terminal"));
            return terminal;
        } catch (IOException e) {
            return new Terminal(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Terminal(null);
        }
    }

    boolean characterMode() {
        return saved != null;
    }

    synchronized void restore() {
        if (saved != null) {
            try {
                stty(saved);
            } catch (IOException e) {
                // the terminal is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Reads keys until the end of input and hands each to {@code key}: a letter as itself, Enter
     * as '\n' (in line mode only when the line was empty). Returns at the end of input.
     */
    void readKeys(InputStream in, IntConsumer key) throws IOException {
        boolean lineEmpty = true;
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\r' || c == '\n') {
                if (characterMode() || lineEmpty) {
                    key.accept('\n');
                }
                lineEmpty = true;
            } else if (!Character.isWhitespace(c)) {
                lineEmpty = false;
                key.accept(Character.toLowerCase(c));
            }
        }
    }

    /** Runs stty on this process's terminal; its output, or null if it failed (stdin is no terminal). */
    private static String stty(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectInput(Redirect.INHERIT).redirectError(Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }
}
