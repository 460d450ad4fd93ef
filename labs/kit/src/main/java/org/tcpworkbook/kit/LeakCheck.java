package org.tcpworkbook.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a check must leave as it found it: the threads of the JVM and its open sockets. Taken before
 * each check and compared after it, waiting (bounded) for things that are ending anyway.
 *
 * <p>Sockets are judged from {@link SocketTracker}'s record, not by counting the process's file
 * descriptors: the record holds every socket from its creation, so no garbage collection can close
 * one the student's code abandoned, and the verdict is the same with any heap, collector or timing
 * (the proof runs every leak mutant with a collection forced right before this check, property
 * {@code kit.leakcheck.gc}, in a 64 MB heap). Each socket left open is reported with the line
 * that created it. Only where the record cannot be kept (no Java agent could be loaded) does the
 * check fall back to counting descriptors, and it says that this count can miss a leak.
 */
final class LeakCheck {
    /** How long threads and sockets get to finish closing after a check. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Path FDS = Paths.get("/proc/self/fd");
    /** Set by the proof: force a collection right before each leak check, to show none can hide a leak. */
    static final String FORCE_GC = "kit.leakcheck.gc";
    private static final boolean TRACKED;
    /** -Dkit.leakcheck.track=false: only count descriptors, as the kit did before (to measure the difference). */
    private static final boolean TRACKING_OFF = "false".equals(System.getProperty("kit.leakcheck.track"));
    /** Whether the JVM was started with the kit's agent: then a record that did not start is a defect. */
    private static final boolean AGENT_REQUESTED = !TRACKING_OFF && java.lang.management.ManagementFactory
            .getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("byte-buddy-agent"));
    /** Where the kit's classes were loaded from. */
    private static final Path KIT = SocketTracker.location(LeakCheck.class);

    static {
        // The JDK keeps one socket open for good after the first close of any socket (its
        // "pre-close" descriptor). Make that happen now, so that it never counts as a leak.
        try {
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).close();
        } catch (IOException ignored) {
            // no loopback at all: every check will say so more clearly than this could
        }
        TRACKED = !TRACKING_OFF && SocketTracker.install();
    }

    private final Threads threadsBefore;
    private final long socketsBefore;
    private final Set<Object> trackedBefore;
    private final ClassLoader loader;
    private final Path checkerLocation;

    private LeakCheck(Class<?> checker) {
        this.threadsBefore = Threads.now();
        this.socketsBefore = openSockets();
        this.trackedBefore = SocketTracker.openNow();
        this.loader = checker.getClassLoader();
        // The kit's own tests play the student's part with classes of their own folder.
        this.checkerLocation = checker.getPackageName().equals(LeakCheck.class.getPackageName())
                ? null : SocketTracker.location(checker);
    }

    /** Starts the check for a test of class {@code checker} (its folder is the checker's, not the student's). */
    static LeakCheck begin(Class<?> checker) {
        return new LeakCheck(checker);
    }

    /** Whether every socket is recorded (the agent is loaded), rather than counted. */
    static boolean tracked() {
        return TRACKED;
    }

    /** What leaked, or an empty string; waits up to {@link #SETTLE} for things to end. */
    String leaks() throws InterruptedException {
        if (Boolean.getBoolean(FORCE_GC)) {
            System.gc();
        }
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<Thread> threads;
        List<SocketTracker.Open> sockets;
        long count;
        do {
            threads = threadsBefore.startedWithRunners();
            sockets = TRACKED ? SocketTracker.openExcept(trackedBefore) : List.of();
            count = TRACKED ? 0 : openSockets() - socketsBefore;
            if (threads.isEmpty() && sockets.isEmpty() && count <= 0 && (TRACKED || !AGENT_REQUESTED)) {
                return "";
            }
            if (TRACKED && threads.isEmpty() && sockets.stream().noneMatch(this::openedByChecker)) {
                break; // every thread the check started has ended: nothing is left to close these
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        List<String> found = new ArrayList<>();
        if (!TRACKED && AGENT_REQUESTED) {
            found.add("(a bug of the kit, not of your code: its Java agent was loaded but its record of sockets"
                    + " did not start, so it could only count them; please report it)");
        }
        for (SocketTracker.Open socket : sockets) {
            found.add(describe(socket));
            socket.close(); // reported: close it, so that it cannot disturb the next check
        }
        if (count > 0) {
            found.add(count + (count == 1 ? " socket" : " sockets") + " still open: close every socket your code"
                    + " opens (try-with-resources), on every path, errors included. (This count of the"
                    + " process's sockets is all the kit has here, without its Java agent: a socket the"
                    + " garbage collector closed first is not counted.)");
        }
        for (Thread t : threads) {
            found.add(Threads.describe(t) + ": every thread your code starts must end when its work or the server stops");
        }
        return (threads.isEmpty() ? "This check" : "After " + Student.seconds(SETTLE) + ", this check")
                + " left behind:\n  - "
                + String.join("\n  - ", found);
    }

    private boolean openedByChecker(SocketTracker.Open socket) {
        return socket.creator().map(this::isCheckers).orElse(false);
    }

    private String describe(SocketTracker.Open socket) {
        Optional<StackTraceElement> creator = socket.creator();
        if (openedByChecker(socket)) {
            return socket.describe() + ", opened by the checker itself at " + where(creator.get())
                    + ", still open: a bug of the checker, not of your code (please report it)";
        }
        String at = creator.map(f -> ", opened at " + where(f)).orElse("");
        return socket.describe() + at + ", still open: close every socket your code opens"
                + " (try-with-resources), on every path, errors included";
    }

    /** Whether a frame is the kit's (a reference peer) or the checker's; anything else is the student's. */
    private boolean isCheckers(StackTraceElement frame) {
        try {
            Path location = SocketTracker.location(Class.forName(frame.getClassName(), false, loader));
            return location != null && (location.equals(KIT) || location.equals(checkerLocation));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** "ChatServer.java:57 (ChatServer.serve)". */
    static String where(StackTraceElement frame) {
        String simple = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
        String file = frame.getFileName() == null ? simple : frame.getFileName() + ":" + frame.getLineNumber();
        return file + " (" + simple + "." + frame.getMethodName() + ")";
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
