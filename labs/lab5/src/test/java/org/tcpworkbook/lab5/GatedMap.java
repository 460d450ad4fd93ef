package org.tcpworkbook.lab5;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.tcpworkbook.kit.CollectionGate;

/**
 * A HashMap that the checker puts in place of the student's (same contents, same class for the
 * student's code: it is a HashMap) to force the race a HashMap shared by several threads has:
 * when its {@link CollectionGate} is armed, the first thread that changes it is held inside that call (put,
 * remove, ...) until the checker lets it go; meanwhile the checker makes another thread use the
 * map. A server that guards every use of the map with one lock keeps the other thread out (it
 * blocks on the lock); a server that does not lets it in, and two threads are inside a HashMap at
 * once, the interleaving that loses entries and throws ConcurrentModificationException. Every such
 * overlap is recorded, whenever it happens.
 */
final class GatedMap<K, V> extends HashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final transient CollectionGate gate = new CollectionGate(GatedMap.class);

    GatedMap(Map<K, V> contents) {
        super.putAll(contents);
    }

    /** Arms, holds, releases and records the overlaps of this map's calls. */
    CollectionGate gate() {
        return gate;
    }

    /**
     * Whether {@code waiting} waits for a lock (a monitor, or a Lock) that the held thread owns:
     * the server guards the map with it, so {@code waiting} cannot come in while the other is inside.
     */
    boolean waitsForTheHeldThread(Thread waiting) {
        Thread owner = gate.heldThread();
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean()
                .getThreadInfo(waiting.getId());
        return owner != null && info != null && info.getLockOwnerId() == owner.getId();
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
    public V get(Object key) {
        return gate.call("get(...)", false, () -> super.get(key));
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return gate.call("getOrDefault(...)", false, () -> super.getOrDefault(key, defaultValue));
    }

    @Override
    public boolean containsKey(Object key) {
        return gate.call("containsKey(...)", false, () -> super.containsKey(key));
    }

    @Override
    public boolean containsValue(Object value) {
        return gate.call("containsValue(...)", false, () -> super.containsValue(value));
    }

    @Override
    public V put(K key, V value) {
        return gate.call("put(...)", true, () -> super.put(key, value));
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        gate.run("putAll(...)", true, () -> super.putAll(m));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return gate.call("putIfAbsent(...)", true, () -> super.putIfAbsent(key, value));
    }

    @Override
    public V remove(Object key) {
        return gate.call("remove(...)", true, () -> super.remove(key));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return gate.call("remove(..., ...)", true, () -> super.remove(key, value));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return gate.call("replace(...)", true, () -> super.replace(key, oldValue, newValue));
    }

    @Override
    public V replace(K key, V value) {
        return gate.call("replace(...)", true, () -> super.replace(key, value));
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        return gate.call("computeIfAbsent(...)", true, () -> super.computeIfAbsent(key, f));
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return gate.call("computeIfPresent(...)", true, () -> super.computeIfPresent(key, f));
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return gate.call("compute(...)", true, () -> super.compute(key, f));
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        return gate.call("merge(...)", true, () -> super.merge(key, value, f));
    }

    @Override
    public void clear() {
        gate.run("clear()", true, () -> super.clear());
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        gate.run("forEach(...)", false, () -> super.forEach(action));
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        gate.run("replaceAll(...)", true, () -> super.replaceAll(f));
    }

    @Override
    public Set<K> keySet() {
        return gate.call("keySet()", false, super::keySet);
    }

    @Override
    public Collection<V> values() {
        return gate.call("values()", false, super::values);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return gate.call("entrySet()", false, super::entrySet);
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
