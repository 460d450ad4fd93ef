package org.tcpworkbook.kit;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The mechanism behind a collection the checker puts in place of the student's to force the race an
 * unsynchronized collection has when several threads share it. Each call of the collection goes
 * through {@link #call}; when {@linkplain #arm() armed}, the first thread that changes the collection
 * is held inside that call (add, put, remove, ...) until the checker {@linkplain #release() lets it
 * go}; meanwhile the checker makes another thread use the collection. A server that guards every use
 * with one lock keeps the other thread out (it blocks on the lock); one that does not lets it in: two
 * threads inside the collection at once, the interleaving that loses or corrupts elements. Every such
 * overlap is recorded, whenever it happens.
 *
 * <p>The collection (a subclass of ArrayList, HashMap, ...) stays a plain subclass of what the
 * student declared and keeps one {@code CollectionGate}; it only names each call and says whether it changes
 * the collection.
 */
public final class CollectionGate {
    private final String owner;
    private final Map<Thread, String> inside = new IdentityHashMap<>();
    /** The threads inside a call that changes the collection. */
    private final Map<Thread, Boolean> changing = new IdentityHashMap<>();
    private final List<String> overlaps = new ArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean armed;
    private volatile Thread held;
    private volatile String heldIn;

    /** @param owner the collection class using this gate: its frames are skipped when naming the caller */
    public CollectionGate(Class<?> owner) {
        this.owner = owner.getName();
    }

    /** The next thread that changes the collection is held inside that call, until {@link #release()} (or 60 s). */
    public void arm() {
        armed = true;
    }

    /** Waits for a thread to be held; false if none changed the collection within {@code millis}. */
    public boolean awaitHeld(long millis) throws InterruptedException {
        return holding.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The held thread and the call it is held in: {@code thread "conversation-1" in add(...), called at ChatServer.java:201}. */
    public String heldDescription() {
        return "thread \"" + held.getName() + "\" in " + heldIn;
    }

    /** The thread held inside the collection, or null. */
    public Thread heldThread() {
        return held;
    }

    /** Whether {@code thread} is inside the collection now (in any call). */
    public synchronized boolean isInside(Thread thread) {
        return inside.containsKey(thread);
    }

    public void release() {
        release.countDown();
    }

    /** Every time a thread went into the collection beside one changing it: "thread X called get(...) while thread Y was inside put(...)". */
    public synchronized List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    /** Runs one call of the collection, {@code body}, named {@code call} ("add(...)"), recording overlaps and holding it if armed. */
    public <T> T call(String call, boolean changes, Supplier<T> body) {
        enter(call, changes);
        try {
            return body.get();
        } finally {
            exit(call);
        }
    }

    /** {@link #call} for a call that returns nothing. */
    public void run(String call, boolean changes, Runnable body) {
        call(call, changes, () -> {
            body.run();
            return null;
        });
    }

    private void enter(String call, boolean changes) {
        Thread me = Thread.currentThread();
        String where = call + caller();
        synchronized (this) {
            for (Map.Entry<Thread, String> other : inside.entrySet()) {
                // two readers at once are safe; a reader or a writer beside a writer is not
                if (other.getKey() != me && (changes || changing.containsKey(other.getKey()))) {
                    overlaps.add("thread \"" + me.getName() + "\" called " + where + " while thread \"" + other.getKey().getName()
                            + "\" was inside " + other.getValue());
                }
            }
            if (inside.putIfAbsent(me, where) == null && changes) { // a call made from inside another keeps the outer one
                changing.put(me, true);
            }
            if (!(changes && armed)) {
                return;
            }
            armed = false;
            held = me;
            heldIn = where;
        }
        holding.countDown();
        try {
            release.await(60, TimeUnit.SECONDS); // bounded: the check releases it long before
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exit(String call) {
        synchronized (this) {
            Thread me = Thread.currentThread();
            if (inside.get(me) != null && inside.get(me).startsWith(call)) {
                inside.remove(me);
                changing.remove(me);
            }
        }
    }

    /** ", called at ChatServer.java:201": the first frame outside the collection, this class and the JDK. */
    private String caller() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            String name = frame.getClassName();
            if (!name.equals(owner) && !name.equals(CollectionGate.class.getName()) && !name.startsWith("java.") && !name.startsWith("jdk.")) {
                return ", called at " + frame.getFileName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }
}
