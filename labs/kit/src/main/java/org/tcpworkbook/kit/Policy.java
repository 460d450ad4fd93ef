package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a reference peer writes, and how it ends a connection. Each policy is a named, documented
 * value; combine them with {@link #and(Policy)}: {@code Policy.fragment(1).and(Policy.closeAfter(2))}.
 *
 * <p>A peer with {@link #NORMAL} writes each message (a line, or a scripted group of bytes) with one
 * write and one flush, answers at once, and keeps the connection open until the test ends.
 *
 * @param fragment  split every write into pieces of this many bytes, each flushed on its own with a
 *                  short pause between, so that the other side's reads see the pieces separately
 *                  (0: whole writes)
 * @param coalesce  write every message of one reply (or one {@code send}) with a single write, so
 *                  that one read on the other side may return several lines at once
 * @param delay     wait this long before each reply (or send)
 * @param ending    what the peer does to the connection, and when
 * @param after     the number of replies (server) or sends (client) after which {@code ending} happens
 */
public record Policy(int fragment, boolean coalesce, Duration delay, Ending ending, int after) {

    /** What a peer does to a connection. */
    public enum Ending {
        /** Keeps the connection open until the test ends. */
        KEEP_OPEN,
        /** Accepts (or connects) and then never reads nor writes: a silent, live peer. */
        STALL,
        /** Closes normally (FIN): the other side's read returns -1 after the data sent before. */
        CLOSE,
        /** Resets (RST): the other side gets the data sent before, then "Connection reset". */
        RESET,
        /** Shuts down its output only (FIN) and keeps reading: "I am done sending, now answer". */
        HALF_CLOSE
    }

    /** The pause between two fragments: long enough that the pieces usually arrive separately. */
    public static final Duration FRAGMENT_PAUSE = Duration.ofMillis(2);

    /** Whole writes, at once, connection kept open. */
    public static final Policy NORMAL = new Policy(0, false, Duration.ZERO, Ending.KEEP_OPEN, 0);

    /** Accepts or connects, then never reads nor writes (the other side's read timeout must fire). */
    public static final Policy STALL = NORMAL.withEnding(Ending.STALL, 0);

    /** Several messages in one write. */
    public static final Policy COALESCE = new Policy(0, true, Duration.ZERO, Ending.KEEP_OPEN, 0);

    public Policy {
        if (fragment < 0) {
            throw new IllegalArgumentException("fragment size must be 0 (none) or positive: " + fragment);
        }
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(ending, "ending");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        if (after < 0) {
            throw new IllegalArgumentException("after must not be negative: " + after);
        }
    }

    /** Every write split into {@code bytes}-byte pieces (a multi-byte UTF-8 character is split too). */
    public static Policy fragment(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("fragment size must be at least 1 byte: " + bytes);
        }
        return new Policy(bytes, false, Duration.ZERO, Ending.KEEP_OPEN, 0);
    }

    /** Waits {@code delay} before each reply or send. */
    public static Policy delay(Duration delay) {
        return new Policy(0, false, delay, Ending.KEEP_OPEN, 0);
    }

    /** Closes normally (FIN) after {@code n} replies or sends; {@code closeAfter(0)}: at once. */
    public static Policy closeAfter(int n) {
        return NORMAL.withEnding(Ending.CLOSE, n);
    }

    /** Resets (RST) after {@code n} replies or sends. */
    public static Policy resetAfter(int n) {
        return NORMAL.withEnding(Ending.RESET, n);
    }

    /** Shuts down output after {@code n} replies or sends, and goes on reading. */
    public static Policy halfCloseAfter(int n) {
        return NORMAL.withEnding(Ending.HALF_CLOSE, n);
    }

    private Policy withEnding(Ending ending, int after) {
        return new Policy(fragment, coalesce, delay, ending, after);
    }

    /** This policy with every setting that {@code other} changes from {@link #NORMAL}. */
    public Policy and(Policy other) {
        return new Policy(
                other.fragment != 0 ? other.fragment : fragment,
                coalesce || other.coalesce,
                other.delay.isZero() ? delay : other.delay,
                other.ending != Ending.KEEP_OPEN ? other.ending : ending,
                other.ending != Ending.KEEP_OPEN ? other.after : after);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (fragment > 0) {
            s.append("fragment(").append(fragment).append(") ");
        }
        if (coalesce) {
            s.append("coalesce ");
        }
        if (!delay.isZero()) {
            s.append("delay(").append(delay.toMillis()).append(" ms) ");
        }
        switch (ending) {
            case KEEP_OPEN -> { }
            case STALL -> s.append("stall ");
            default -> s.append(ending.name().toLowerCase().replace('_', '-'))
                    .append("After(").append(after).append(") ");
        }
        return s.length() == 0 ? "normal" : s.toString().trim();
    }
}
