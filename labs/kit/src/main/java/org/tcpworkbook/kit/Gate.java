package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * Where a checker holds the student's threads, inside one of its own callbacks, to force an
 * interleaving instead of hoping for it: {@link #pass()} waits (bounded by {@code holdLimit}) while
 * the gate is shut; the check awaits the threads held, acts, then {@link #open()}s it. The threads
 * held are counted and named, so a check can see who is inside.
 */
public final class Gate {
    private final Duration holdLimit;
    private volatile CountDownLatch shut;
    private final List<Thread> inside = new ArrayList<>();
    /** Why no thread will come any more; null while one may. */
    private String end;
    private Throwable endCause;

    /** An open gate whose holds last {@code holdLimit} at most (the check opens it much sooner). */
    public Gate(Duration holdLimit) {
        this.holdLimit = holdLimit;
    }

    /** From now on, threads that pass wait until {@link #open()}. */
    public void shut() {
        shut = new CountDownLatch(1);
    }

    public void open() {
        CountDownLatch latch = shut;
        shut = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    public boolean isShut() {
        return shut != null;
    }

    /** Called by the checker's callback on the student's thread: waits while the gate is shut. */
    public void pass() {
        CountDownLatch latch = shut;
        if (latch == null) {
            return;
        }
        synchronized (this) {
            inside.add(Thread.currentThread());
            notifyAll();
        }
        try {
            latch.await(holdLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                inside.remove(Thread.currentThread());
                notifyAll();
            }
        }
    }

    /** How many threads wait at the gate now. */
    public synchronized int held() {
        return inside.size();
    }

    /**
     * No thread will come any more (the student's code that calls {@link #pass()} ended, {@code cause}):
     * from now on {@link #awaitHeld} fails at once, saying {@code why}, instead of waiting out its limit.
     */
    public synchronized void end(String why, Throwable cause) {
        end = why;
        endCause = cause;
        notifyAll();
    }

    /** Waits up to {@code limit} until {@code n} threads are held; fails the check with {@code waitingFor} if not. */
    public synchronized void awaitHeld(int n, Duration limit, String waitingFor) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inside.size() < n) {
            if (end != null) {
                throw new AssertionFailedError("The checker was waiting for " + waitingFor + ", but " + end + ".", endCause);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionFailedError("The checker waited " + limit.toMillis() + " ms for " + waitingFor
                        + ", but only " + inside.size() + " of " + n + " such calls came.");
            }
            wait(left);
        }
    }
}
