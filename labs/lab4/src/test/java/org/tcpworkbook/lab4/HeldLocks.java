package org.tcpworkbook.lab4;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A lost count++ judged without luck: the checker takes every lock the student's server could guard its
 * shared state with (the server object's monitor, the monitor of each of its collections and plain
 * lock objects, each {@link Lock} and {@link ReadWriteLock} field), then lets a client act. State that
 * a conversation's thread changes while the checker holds all of them is changed without any lock:
 * a plain {@code long} counted with {@code count++}, or an {@code ArrayList}/{@code HashSet} changed by
 * several threads at once. A server whose state is guarded by a lock blocks on it instead, and a
 * thread-safe class (CopyOnWriteArrayList, AtomicLong, a concurrent set) is not looked at.
 *
 * <p>A plain ArrayList is not judged here but by behaviour ({@link #gateArrayLists}, {@link GatedList}):
 * a lock this class cannot see would make it reject a list the server guards. A count++ cannot be
 * forced that way (no call of the checker's sits inside it), so counters, and unsafe collections
 * other than ArrayList, are still judged here; the locks looked for include the class's monitor and
 * those in the fields of the student's own helper objects.
 */
final class HeldLocks {
    /** Collections that are not safe for threads that change them at once, unless every use is locked. */
    private static final List<Class<?>> UNSAFE = List.of(ArrayList.class, LinkedList.class, HashSet.class,
            LinkedHashSet.class, HashMap.class, LinkedHashMap.class, TreeMap.class, TreeSet.class, ArrayDeque.class,
            PriorityQueue.class);

    private final Object server;
    private final List<Field> watched = new ArrayList<>();
    private final List<Object> monitors = new ArrayList<>();
    private final List<Lock> locks = new ArrayList<>();

    /**
     * Puts a {@link GatedList} in place of each plain ArrayList in an instance field of the server,
     * with the same elements: call it before the server serves. The gated lists are then judged by
     * behaviour (a thread held inside one while another comes), not by the locks this class can see.
     */
    static Map<String, GatedList<Object>> gateArrayLists(Object server) throws IllegalAccessException {
        Map<String, GatedList<Object>> gated = new LinkedHashMap<>();
        for (Class<?> c = server.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isSynthetic() || Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(server);
                if (value != null && value.getClass() == ArrayList.class) {
                    @SuppressWarnings("unchecked")
                    GatedList<Object> twin = new GatedList<>((List<Object>) value);
                    field.set(server, twin);
                    gated.put(field.getName() + " (" + field.getType().getSimpleName() + ", an ArrayList)", twin);
                }
            }
        }
        return gated;
    }

    HeldLocks(Object server) throws IllegalAccessException {
        this.server = server;
        monitors.add(server);
        monitors.add(server.getClass()); // static synchronized methods, synchronized (ChatServer.class)
        for (Class<?> c = server.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                boolean isStatic = Modifier.isStatic(field.getModifiers());
                Object value = field.get(isStatic ? null : server);
                Class<?> type = field.getType();
                if ((type == long.class || type == int.class) && !Modifier.isFinal(field.getModifiers())) {
                    watched.add(field);
                } else if (value != null && UNSAFE.contains(value.getClass())) {
                    watched.add(field);
                    monitors.add(value);
                } else if (value instanceof Lock lock) {
                    locks.add(lock);
                } else if (value instanceof ReadWriteLock rw) {
                    locks.add(rw.writeLock());
                } else if (value != null && value.getClass() == Object.class) {
                    monitors.add(value);
                } else if (value != null && value.getClass().getPackageName().equals(server.getClass().getPackageName())
                        && !(value instanceof Thread)) {
                    lockObjectsIn(value); // a helper object of the student's, which may hold the lock
                }
            }
        }
    }

    /** The monitors and locks in the fields of one of the student's own objects (one level down). */
    private void lockObjectsIn(Object helper) throws IllegalAccessException {
        monitors.add(helper);
        for (Field field : helper.getClass().getDeclaredFields()) {
            if (field.isSynthetic() || field.getType().isPrimitive()) {
                continue;
            }
            try {
                field.setAccessible(true);
            } catch (RuntimeException e) {
                continue;
            }
            Object value = field.get(Modifier.isStatic(field.getModifiers()) ? null : helper);
            if (value instanceof Lock lock) {
                locks.add(lock);
            } else if (value instanceof ReadWriteLock rw) {
                locks.add(rw.writeLock());
            } else if (value != null && value.getClass() == Object.class) {
                monitors.add(value);
            }
        }
    }

    /** Whether {@code waiting} waits for a lock (a monitor, or a Lock) that {@code owner} holds. */
    static boolean waitsFor(Thread waiting, Thread owner) {
        if (owner == null) {
            return false;
        }
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(waiting.getId());
        return info != null && info.getLockOwnerId() == owner.getId();
    }

    /** Whether any thread waits for a lock that {@code owner} holds. */
    private static boolean anyoneWaitsFor(Thread owner) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getLockOwnerId() == owner.getId()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the server has state this can watch: a plain counter or an unsafe collection. */
    private boolean watches() {
        return !watched.isEmpty();
    }

    /** What to do while every lock is held: let a client act. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * Holds every lock, runs {@code action}, and waits until a watched field changes, or a thread of
     * the server waits for one of the held locks (it guards what it does next), or {@code within}
     * passes: the fields that changed while every lock was held, as "name (type): before → after";
     * empty if none did, or if the locks could not all be taken within a second (the server keeps
     * one for long: nothing can be judged then). With nothing to watch (only thread-safe classes, and
     * ArrayLists judged by {@link #gateArrayLists}) it runs {@code action} and returns at once: no
     * change could be seen, so waiting out {@code within} would only cost every run that much.
     */
    List<String> changedWhileHeld(Action action, long withinMillis) throws Exception {
        if (!watches()) {
            action.run();
            return List.of();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            List<Lock> taken = new ArrayList<>();
            try {
                for (Lock lock : locks) {
                    if (lock.tryLock(1, TimeUnit.SECONDS)) {
                        taken.add(lock);
                    }
                }
                hold(0, held, release);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                taken.forEach(Lock::unlock);
            }
        }, "checker-holds-the-server's-locks");
        holder.setDaemon(true);
        holder.start();
        List<String> changed = new ArrayList<>();
        try {
            if (!held.await(1, TimeUnit.SECONDS)) {
                return changed;
            }
            Map<Field, String> before = snapshot();
            action.run();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
            Map<Field, String> now = before;
            while (now.equals(before) && !anyoneWaitsFor(holder) && System.nanoTime() < deadline) {
                Thread.sleep(5); // nothing to await: a change made without a lock signals nobody
                now = snapshot();
            }
            for (Field field : watched) {
                if (!now.get(field).equals(before.get(field))) {
                    changed.add(field.getName() + " (" + field.getType().getSimpleName() + "): " + before.get(field)
                            + " -> " + now.get(field));
                }
            }
            return changed;
        } finally {
            release.countDown();
            holder.join(2000);
        }
    }

    /** Enters the monitors one inside the other, then waits (bounded) for the release. */
    private void hold(int i, CountDownLatch held, CountDownLatch release) throws InterruptedException {
        if (i == monitors.size()) {
            held.countDown();
            release.await(30, TimeUnit.SECONDS); // bounded: the check lets go long before
            return;
        }
        synchronized (monitors.get(i)) {
            hold(i + 1, held, release);
        }
    }

    private Map<Field, String> snapshot() throws IllegalAccessException {
        Map<Field, String> values = new HashMap<>();
        for (Field field : watched) {
            Object value = field.get(Modifier.isStatic(field.getModifiers()) ? null : server);
            String shown;
            if (value instanceof java.util.Collection<?> c) {
                shown = "size " + c.size();
            } else if (value instanceof Map<?, ?> m) {
                shown = "size " + m.size();
            } else {
                shown = String.valueOf(value);
            }
            values.put(field, shown);
        }
        return values;
    }
}
