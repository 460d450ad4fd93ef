package org.tcpworkbook.kit.watch;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The keys of the watch loop. Where the process has a terminal ({@code /dev/tty} on a Unix-like
 * system), it is put in character mode ({@code stty -icanon -echo}) so that one key press acts at
 * once, and restored on exit (Ctrl-C included); elsewhere keys are read by line from standard input
 * (type the key, then Enter), and an empty line counts as Enter.
 *
 * <p>The terminal is read directly, not only through standard input: exec-maven-plugin before
 * 3.6.2 ignores its {@code inheritIo} for standard input and pipes Maven's own to the program
 * instead, so a key may arrive either way. Both are read.
 */
final class Terminal {

    private static final File TTY = new File("/dev/tty");

    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    /** Character mode if this process has a terminal that stty can set, else line mode. */
    static Terminal open() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") || !TTY.exists()) {
            return new Terminal(null);
        }
        try {
            String saved = stty("-g");
            if (saved == null || stty("-icanon", "-echo", "min", "1") == null) {
                return new Terminal(null);
            }
            Terminal terminal = new Terminal(saved.strip());
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
     * Hands every key to {@code key}, from standard input and, in character mode, from the
     * terminal too, each on a daemon thread; {@code ended} runs when standard input ends.
     */
    void startReading(InputStream stdin, IntConsumer key, Runnable ended) {
        daemon("watch: keys", () -> {
            try {
                readKeys(stdin, key);
            } catch (IOException e) {
                // as if it had ended
            }
            ended.run();
        });
        if (characterMode()) {
            daemon("watch: terminal keys", () -> {
                try (InputStream tty = new FileInputStream(TTY)) {
                    readKeys(tty, key);
                } catch (IOException e) {
                    // no terminal after all: standard input still works
                }
            });
        }
    }

    /**
     * Reads keys until the end of input and hands each to {@code key}: a letter as itself, Enter
     * as '\n' (in line mode only when the line was empty).
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

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs stty on the terminal; its output, or null if it failed. */
    private static String stty(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }
}
