package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The threads the student's code started since a moment of the check: for a server that must start
 * a thread per client, end it when the client leaves, and join them all when it stops.
 * The kit's own threads (its runners of student code) and the JVM's and JUnit's are not counted.
 */
public final class Threads {
    private static final List<String> INFRASTRUCTURE = List.of(
            "junit", "surefire", "ForkJoinPool.commonPool", "process reaper", "Attach Listener",
            "Common-Cleaner", "Signal Dispatcher", "Reference Handler", "Finalizer", "Notification Thread");

    private final Set<Thread> before;

    private Threads(Set<Thread> before) {
        this.before = before;
    }

    /** The threads alive now: later calls count from here. */
    public static Threads now() {
        return new Threads(Thread.getAllStackTraces().keySet());
    }

    /** Threads started since {@link #now()} by the student's code that are alive. */
    public List<Thread> started() {
        return alive(false);
    }

    /** Also the kit's runners of student code (a serve() never stopped is a leak too). */
    List<Thread> startedWithRunners() {
        return alive(true);
    }

    private List<Thread> alive(boolean runners) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && !Student.ABANDONED.contains(t))
                .filter(t -> runners || !t.getName().startsWith(Student.THREAD_PREFIX))
                .filter(t -> INFRASTRUCTURE.stream().noneMatch(t.getName()::startsWith))
                .filter(t -> !virtualThreadMachinery(t))
                .collect(Collectors.toList());
    }

    /**
     * The JDK's own threads behind virtual threads (lab 7): their carriers, which the JDK keeps for
     * a while after the virtual threads end, and its helpers; none of them is the student's.
     */
    static boolean virtualThreadMachinery(Thread t) {
        return t.getClass().getName().equals("jdk.internal.misc.CarrierThread")
                || t.getName().startsWith("VirtualThread-")
                || t.getName().equals("MasterPoller") || t.getName().endsWith("-Poller"); // the JDK's I/O pollers
    }

    /**
     * Waits, up to {@code bound} in all, for every thread started since {@link #now()} to end; the
     * ones still running then, each as "thread "x" still blocked in …" (empty if none).
     */
    public List<String> stillRunningAfter(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Thread t : started()) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        }
        List<String> running = new ArrayList<>();
        for (Thread t : started()) {
            running.add(describe(t));
        }
        return running;
    }

    /** "thread "chat-4711" still blocked in java.net.Socket… (called from ChatServer.java:88)". */
    public static String describe(Thread t) {
        return "thread \"" + t.getName() + "\" still " + Student.blockedIn(t.getStackTrace());
    }
}
