package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.opentest4j.AssertionFailedError;

/**
 * What the student's server reported through the checker's recorders, in order, from any thread:
 * a check awaits the event it expects (bounded), and a failure lists what did come.
 */
public final class EventLog {
    private final List<String> events = new ArrayList<>();
    private final List<String> all = new ArrayList<>();

    /** Why nothing more will be recorded, once the code that records has ended; null while it may. */
    private String end;
    private Throwable endCause;

    /**
     * Nothing more will be recorded (the student's code that records ended, {@code cause}): from now on
     * an await that finds no event it wants fails at once, saying {@code why}, instead of waiting out
     * its limit.
     */
    public synchronized void end(String why, Throwable cause) {
        end = why;
        endCause = cause;
        notifyAll();
    }

    public synchronized void record(String event) {
        events.add(event);
        all.add(event);
        notifyAll();
    }

    /** Every event recorded so far, awaited or not. */
    public synchronized List<String> all() {
        return List.copyOf(all);
    }

    /** Whether an event {@code wanted} accepts was recorded (and not yet awaited). */
    public synchronized boolean has(Predicate<String> wanted) {
        return events.stream().anyMatch(wanted);
    }

    /**
     * Waits up to {@code limit} for (and removes) the first event {@code wanted} accepts; fails the
     * check naming {@code waitingFor}, the events so far and {@code hint} when none comes.
     */
    public synchronized String await(Predicate<String> wanted, Duration limit, String waitingFor, String hint)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            for (String event : events) {
                if (wanted.test(event)) {
                    events.remove(event);
                    return event;
                }
            }
            if (end != null) {
                throw new AssertionFailedError("The checker was waiting for " + waitingFor + ", but " + end
                        + " (events so far: " + all + "). " + hint, endCause);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionFailedError("Your server reported no such event within " + limit.toMillis()
                        + " ms; the checker was waiting for " + waitingFor + " (events so far: " + all + "). " + hint);
            }
            wait(left);
        }
    }
}
