package org.tcpworkbook.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a check must leave as it found it: the threads of the JVM and its open sockets. Taken before
 * each check and compared after it, waiting (bounded) for things that are ending anyway.
 */
final class LeakCheck {
    /** How long threads and sockets get to finish closing after a check. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Path FDS = Paths.get("/proc/self/fd");

    static {
        // The JDK keeps one socket open for good after the first close of any socket (its
        // "pre-close" descriptor). Make that happen now, so that it never counts as a leak.
        try {
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).close();
        } catch (IOException ignored) {
            // no loopback at all: every check will say so more clearly than this could
        }
    }

    private final Threads threadsBefore;
    private final long socketsBefore;

    private LeakCheck() {
        this.threadsBefore = Threads.now();
        this.socketsBefore = openSockets();
    }

    static LeakCheck begin() {
        return new LeakCheck();
    }

    /** What leaked, or an empty string; waits up to {@link #SETTLE} for things to end. */
    String leaks() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<Thread> threads;
        long sockets;
        do {
            threads = threadsBefore.startedWithRunners();
            sockets = openSockets();
            if (threads.isEmpty() && sockets <= socketsBefore) {
                return "";
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        List<String> found = new ArrayList<>();
        if (sockets > socketsBefore) {
            long n = sockets - socketsBefore;
            found.add(n + (n == 1 ? " socket" : " sockets") + " still open: close every socket your code"
                    + " opens (try-with-resources), on every path, errors included");
        }
        for (Thread t : threads) {
            found.add(Threads.describe(t) + ": every thread your code starts must end when its work or the server stops");
        }
        return "After " + Student.seconds(SETTLE) + ", this check left behind:\n  - "
                + String.join("\n  - ", found);
    }

    /** Open sockets of this JVM (Linux: /proc/self/fd); 0 where that cannot be read. */
    static long openSockets() {
        if (!Files.isDirectory(FDS)) {
            return 0;
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while we listed it
                }
            }).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
