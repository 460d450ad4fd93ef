package org.tcpworkbook.lab4;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An ArrayList that the checker puts in place of the student's (same contents, and an ArrayList to
 * the student's code) to force the race an ArrayList shared by several threads has: when
 * {@linkplain #arm() armed}, the first thread that changes it is held inside that call (add,
 * remove, ...) until the checker lets it go; meanwhile the checker makes another thread use the
 * list. A server that guards every use of the list with one lock keeps the other thread out (it
 * blocks on the lock, wherever that lock is); one that does not lets it in: two threads inside an
 * ArrayList at once, the interleaving that loses or corrupts elements. Every such overlap is recorded.
 */
final class GatedList<E> extends ArrayList<E> {
    private static final long serialVersionUID = 1L;

    private final transient Map<Thread, String> inside = new IdentityHashMap<>();
    /** The threads inside a call that changes the list. */
    private final transient Map<Thread, Boolean> changing = new IdentityHashMap<>();
    private final transient List<String> overlaps = new ArrayList<>();
    private final transient CountDownLatch holding = new CountDownLatch(1);
    private final transient CountDownLatch release = new CountDownLatch(1);
    private transient volatile boolean armed;
    private transient volatile Thread held;
    private transient volatile String heldIn;

    GatedList(Collection<? extends E> contents) {
        super(contents);
    }

    /** The next thread that changes the list is held inside that call, until {@link #release()} (or 60 s). */
    void arm() {
        armed = true;
    }

    /** Waits for a thread to be held; false if none changed the list within {@code millis}. */
    boolean awaitHeld(long millis) throws InterruptedException {
        return holding.await(millis, TimeUnit.MILLISECONDS);
    }

    /** {@code thread "conversation-1" in add(...), called at ChatServer.java:201} */
    String heldDescription() {
        return "thread \"" + held.getName() + "\" in " + heldIn;
    }

    /**
     * Whether {@code waiting} waits for a lock (a monitor, or a Lock) that the held thread owns:
     * the server guards the list with it, so {@code waiting} cannot come in while the other is inside.
     */
    boolean waitsForTheHeldThread(Thread waiting) {
        return HeldLocks.waitsFor(waiting, held);
    }

    synchronized boolean isInside(Thread thread) {
        return inside.containsKey(thread);
    }

    void release() {
        release.countDown();
    }

    /** Every time a thread went into the list beside one changing it. */
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

    /** ", called at ChatServer.java:201": the first frame outside this class and the JDK. */
    private static String caller() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            String name = frame.getClassName();
            if (!name.equals(GatedList.class.getName()) && !name.startsWith("java.") && !name.startsWith("jdk.")) {
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

    private void gatedVoid(String call, boolean changes, Runnable body) {
        gated(call, changes, () -> {
            body.run();
            return null;
        });
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
    public boolean contains(Object o) {
        return gated("contains(...)", false, () -> super.contains(o));
    }

    @Override
    public int indexOf(Object o) {
        return gated("indexOf(...)", false, () -> super.indexOf(o));
    }

    @Override
    public int lastIndexOf(Object o) {
        return gated("lastIndexOf(...)", false, () -> super.lastIndexOf(o));
    }

    @Override
    public Object[] toArray() {
        return gated("toArray()", false, () -> super.toArray());
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return gated("toArray(...)", false, () -> super.toArray(a));
    }

    @Override
    public E get(int index) {
        return gated("get(...)", false, () -> super.get(index));
    }

    @Override
    public E set(int index, E element) {
        return gated("set(...)", true, () -> super.set(index, element));
    }

    @Override
    public boolean add(E e) {
        return gated("add(...)", true, () -> super.add(e));
    }

    @Override
    public void add(int index, E element) {
        gatedVoid("add(..., ...)", true, () -> super.add(index, element));
    }

    @Override
    public E remove(int index) {
        return gated("remove(index)", true, () -> super.remove(index));
    }

    @Override
    public boolean remove(Object o) {
        return gated("remove(...)", true, () -> super.remove(o));
    }

    @Override
    public void clear() {
        gatedVoid("clear()", true, super::clear);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return gated("addAll(...)", true, () -> super.addAll(c));
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return gated("addAll(..., ...)", true, () -> super.addAll(index, c));
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return gated("removeAll(...)", true, () -> super.removeAll(c));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return gated("retainAll(...)", true, () -> super.retainAll(c));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return gated("removeIf(...)", true, () -> super.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        gatedVoid("replaceAll(...)", true, () -> super.replaceAll(operator));
    }

    @Override
    public void sort(Comparator<? super E> c) {
        gatedVoid("sort(...)", true, () -> super.sort(c));
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        gatedVoid("forEach(...)", false, () -> super.forEach(action));
    }

    @Override
    public Iterator<E> iterator() {
        return gated("iterator()", false, super::iterator);
    }

    @Override
    public ListIterator<E> listIterator() {
        return gated("listIterator()", false, () -> super.listIterator());
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return gated("listIterator(...)", false, () -> super.listIterator(index));
    }

    @Override
    public Spliterator<E> spliterator() {
        return gated("spliterator()", false, super::spliterator);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return gated("subList(...)", false, () -> super.subList(fromIndex, toIndex));
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
