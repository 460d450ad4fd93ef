package org.tcpworkbook.lab4;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gate for forcing a race: the student's threads, each inside a callback the checker owns (the
 * replier), spin here until {@code parties} of them have arrived, then all leave at the same
 * instant, so that what each does next (count, remove itself from a list) happens truly at once on
 * both cores. Every wait is bounded: a thread that waits {@link #PATIENCE_NANOS} for the others goes
 * on alone (a server that serves one client at a time never brings them together).
 */
final class SpinGate {
    static final long PATIENCE_NANOS = 200_000_000L;

    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;

    SpinGate(int parties) {
        this.parties = parties;
    }

    /** Spins until the round's last thread arrives (or the patience runs out), then returns. */
    void pass() {
        int round = generation;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            generation = round + 1;
            return;
        }
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (generation == round && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
