package org.tcpworkbook.lab4;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.tcpworkbook.kit.CollectionGate;

/**
 * An ArrayList that the checker puts in place of the student's (same contents, and an ArrayList to
 * the student's code) to force the race an ArrayList shared by several threads has: when
 * {@linkplain CollectionGate#arm() armed}, the first thread that changes it is held inside that call (add,
 * remove, ...) until the checker lets it go; meanwhile the checker makes another thread use the
 * list. A server that guards every use of the list with one lock keeps the other thread out (it
 * blocks on the lock, wherever that lock is); one that does not lets it in: two threads inside an
 * ArrayList at once, the interleaving that loses or corrupts elements. Every such overlap is recorded.
 */
final class GatedList<E> extends ArrayList<E> {
    private static final long serialVersionUID = 1L;

    private final transient CollectionGate gate = new CollectionGate(GatedList.class);

    GatedList(Collection<? extends E> contents) {
        super(contents);
    }

    /** Arms, holds, releases and records the overlaps of this list's calls. */
    CollectionGate gate() {
        return gate;
    }

    /**
     * Whether {@code waiting} waits for a lock (a monitor, or a Lock) that the held thread owns:
     * the server guards the list with it, so {@code waiting} cannot come in while the other is inside.
     */
    boolean waitsForTheHeldThread(Thread waiting) {
        return HeldLocks.waitsFor(waiting, gate.heldThread());
    }

    @Override
    public int size() {
        return gate.call("size()", false, super::size);
    }

    @Override
    public boolean isEmpty() {
        return gate.call("isEmpty()", false, super::isEmpty);
    }

    @Override
    public boolean contains(Object o) {
        return gate.call("contains(...)", false, () -> super.contains(o));
    }

    @Override
    public int indexOf(Object o) {
        return gate.call("indexOf(...)", false, () -> super.indexOf(o));
    }

    @Override
    public int lastIndexOf(Object o) {
        return gate.call("lastIndexOf(...)", false, () -> super.lastIndexOf(o));
    }

    @Override
    public Object[] toArray() {
        return gate.call("toArray()", false, () -> super.toArray());
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return gate.call("toArray(...)", false, () -> super.toArray(a));
    }

    @Override
    public E get(int index) {
        return gate.call("get(...)", false, () -> super.get(index));
    }

    @Override
    public E set(int index, E element) {
        return gate.call("set(...)", true, () -> super.set(index, element));
    }

    @Override
    public boolean add(E e) {
        return gate.call("add(...)", true, () -> super.add(e));
    }

    @Override
    public void add(int index, E element) {
        gate.run("add(..., ...)", true, () -> super.add(index, element));
    }

    @Override
    public E remove(int index) {
        return gate.call("remove(index)", true, () -> super.remove(index));
    }

    @Override
    public boolean remove(Object o) {
        return gate.call("remove(...)", true, () -> super.remove(o));
    }

    @Override
    public void clear() {
        gate.run("clear()", true, super::clear);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return gate.call("addAll(...)", true, () -> super.addAll(c));
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return gate.call("addAll(..., ...)", true, () -> super.addAll(index, c));
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return gate.call("removeAll(...)", true, () -> super.removeAll(c));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return gate.call("retainAll(...)", true, () -> super.retainAll(c));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return gate.call("removeIf(...)", true, () -> super.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        gate.run("replaceAll(...)", true, () -> super.replaceAll(operator));
    }

    @Override
    public void sort(Comparator<? super E> c) {
        gate.run("sort(...)", true, () -> super.sort(c));
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        gate.run("forEach(...)", false, () -> super.forEach(action));
    }

    @Override
    public Iterator<E> iterator() {
        return gate.call("iterator()", false, super::iterator);
    }

    @Override
    public ListIterator<E> listIterator() {
        return gate.call("listIterator()", false, () -> super.listIterator());
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return gate.call("listIterator(...)", false, () -> super.listIterator(index));
    }

    @Override
    public Spliterator<E> spliterator() {
        return gate.call("spliterator()", false, super::spliterator);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return gate.call("subList(...)", false, () -> super.subList(fromIndex, toIndex));
    }

    @Override
    public Object clone() {
        return gate.call("clone()", false, super::clone);
    }

    @Override
    public boolean equals(Object o) {
        return gate.call("equals(...)", false, () -> super.equals(o));
    }

    @Override
    public int hashCode() {
        return gate.call("hashCode()", false, super::hashCode);
    }

    @Override
    public String toString() {
        return gate.call("toString()", false, super::toString);
    }
}
