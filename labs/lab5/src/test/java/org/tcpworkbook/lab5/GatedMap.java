package org.tcpworkbook.lab5;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A HashMap that the checker puts in place of the student's (same contents, same class for the
 * student's code: it is a HashMap) to force the race a HashMap shared by several threads has:
 * when {@linkplain #arm() armed}, the first thread that changes it is held inside that call (put,
 * remove, ...) until the checker lets it go; meanwhile the checker makes another thread use the
 * map. A server that guards every use of the map with one lock keeps the other thread out (it
 * blocks on the lock); a server that does not lets it in, and two threads are inside a HashMap at
 * once, the interleaving that loses entries and throws ConcurrentModificationException. Every such
 * overlap is recorded, whenever it happens.
 */
final class GatedMap<K, V> extends HashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final transient Map<Thread, String> inside = new IdentityHashMap<>();
    /** The threads inside a call that changes the map. */
    private final transient Map<Thread, Boolean> changing = new IdentityHashMap<>();
    private final transient List<String> overlaps = new ArrayList<>();
    private final transient CountDownLatch holding = new CountDownLatch(1);
    private final transient CountDownLatch release = new CountDownLatch(1);
    private transient volatile boolean armed;
    private transient volatile Thread held;
    private transient volatile String heldIn;

    GatedMap(Map<K, V> contents) {
        super.putAll(contents);
    }

    /** The next thread that changes the map is held inside that call, until {@link #release()} (or 60 s). */
    void arm() {
        armed = true;
    }

    /** Waits for a thread to be held; false if none changed the map within {@code millis}. */
    boolean awaitHeld(long millis) throws InterruptedException {
        return holding.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The held thread and the call it is held in, e.g. {@code "thread main-acceptor in put(...), called at ClosingServer.java:97"}. */
    String heldDescription() {
        return "thread \"" + held.getName() + "\" in " + heldIn;
    }

    /** The thread held inside the map, or null. */
    Thread heldThread() {
        return held;
    }

    /**
     * Whether {@code waiting} waits for a lock (a monitor, or a Lock) that the held thread owns:
     * the server guards the map with it, so {@code waiting} cannot come in while the other is inside.
     */
    boolean waitsForTheHeldThread(Thread waiting) {
        Thread owner = held;
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean()
                .getThreadInfo(waiting.getId());
        return owner != null && info != null && info.getLockOwnerId() == owner.getId();
    }

    /** Whether {@code thread} is inside the map now (in any call). */
    synchronized boolean isInside(Thread thread) {
        return inside.containsKey(thread);
    }

    void release() {
        release.countDown();
    }

    /** Every time a thread went into the map while another was inside it: "thread X called get(...) while thread Y was in put(...)". */
    synchronized List<String> overlaps() {
        return List.copyOf(overlaps);
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
        }
        if (changes && armed) {
            synchronized (this) {
                if (!armed) {
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

    /** ", called at ClosingServer.java:97": the first frame outside this class and the JDK. */
    private static String caller() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            String name = frame.getClassName();
            if (!name.equals(GatedMap.class.getName()) && !name.startsWith("java.") && !name.startsWith("jdk.")) {
                return ", called at " + frame.getFileName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }

    private interface Call<T> {
        T run();
    }

    private <T> T gated(String call, boolean changes, Call<T> body) {
        enter(call, changes);
        try {
            return body.run();
        } finally {
            exit(call);
        }
    }

    @Override
    public int size() {
        return gated("size()", false, super::size);
    }

    @Override
    public boolean isEmpty() {
        return gated("isEmpty()", false, super::isEmpty);
    }

    @Override
    public V get(Object key) {
        return gated("get(...)", false, () -> super.get(key));
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return gated("getOrDefault(...)", false, () -> super.getOrDefault(key, defaultValue));
    }

    @Override
    public boolean containsKey(Object key) {
        return gated("containsKey(...)", false, () -> super.containsKey(key));
    }

    @Override
    public boolean containsValue(Object value) {
        return gated("containsValue(...)", false, () -> super.containsValue(value));
    }

    @Override
    public V put(K key, V value) {
        return gated("put(...)", true, () -> super.put(key, value));
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        gated("putAll(...)", true, () -> {
            super.putAll(m);
            return null;
        });
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return gated("putIfAbsent(...)", true, () -> super.putIfAbsent(key, value));
    }

    @Override
    public V remove(Object key) {
        return gated("remove(...)", true, () -> super.remove(key));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return gated("remove(..., ...)", true, () -> super.remove(key, value));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return gated("replace(...)", true, () -> super.replace(key, oldValue, newValue));
    }

    @Override
    public V replace(K key, V value) {
        return gated("replace(...)", true, () -> super.replace(key, value));
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        return gated("computeIfAbsent(...)", true, () -> super.computeIfAbsent(key, f));
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return gated("computeIfPresent(...)", true, () -> super.computeIfPresent(key, f));
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return gated("compute(...)", true, () -> super.compute(key, f));
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        return gated("merge(...)", true, () -> super.merge(key, value, f));
    }

    @Override
    public void clear() {
        gated("clear()", true, () -> {
            super.clear();
            return null;
        });
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        gated("forEach(...)", false, () -> {
            super.forEach(action);
            return null;
        });
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        gated("replaceAll(...)", true, () -> {
            super.replaceAll(f);
            return null;
        });
    }

    @Override
    public Set<K> keySet() {
        return gated("keySet()", false, super::keySet);
    }

    @Override
    public Collection<V> values() {
        return gated("values()", false, super::values);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return gated("entrySet()", false, super::entrySet);
    }

    @Override
    public Object clone() {
        return gated("clone()", false, super::clone);
    }

    @Override
    public boolean equals(Object o) {
        return gated("equals(...)", false, () -> super.equals(o));
    }

    @Override
    public int hashCode() {
        return gated("hashCode()", false, super::hashCode);
    }

    @Override
    public String toString() {
        return gated("toString()", false, super::toString);
    }
}
