package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CollectionGate: holds the first thread that changes a collection, and records who came in beside it")
class CollectionGateTest {
    /** A list as the labs gate it: each call goes through the gate. */
    static final class Gated extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        final transient CollectionGate gate = new CollectionGate(Gated.class);

        @Override
        public boolean add(String e) {
            return gate.call("add(...)", true, () -> super.add(e));
        }

        @Override
        public int size() {
            return gate.call("size()", false, super::size);
        }
    }

    @Test
    @DisplayName("holds an armed writer until released; a reader coming meanwhile is an overlap, named with its caller")
    void holdsAndRecords() throws Exception {
        Gated list = new Gated();
        list.gate.arm();
        Thread writer = new Thread(() -> list.add("x"), "writer");
        writer.setDaemon(true);
        writer.start();
        assertThat(list.gate.awaitHeld(5_000)).as("the writer held inside add").isTrue();
        assertThat(list.gate.heldThread()).isSameAs(writer);
        assertThat(list.gate.isInside(writer)).isTrue();
        assertThat(list.gate.heldDescription()).startsWith("thread \"writer\" in add(...), called at CollectionGateTest.java:");

        assertThat(list.size()).isZero(); // the writer is held before it added
        list.gate.release();
        writer.join(5_000);
        assertThat(writer.isAlive()).as("the writer, released").isFalse();
        assertThat(list.gate.isInside(writer)).isFalse();
        assertThat(list).containsExactly("x");
        List<String> overlaps = list.gate.overlaps();
        assertThat(overlaps).singleElement().asString()
                .startsWith("thread \"" + Thread.currentThread().getName() + "\" called size(), called at CollectionGateTest.java:")
                .endsWith("while thread \"writer\" was inside " + list.gate.heldDescription().substring("thread \"writer\" in ".length()));
    }

    @Test
    @DisplayName("holds nobody unless armed, only once, and two readers at once are no overlap")
    void onlyArmedWritersAreHeld() throws Exception {
        Gated list = new Gated();
        list.add("a"); // not armed: goes through
        assertThat(list.gate.awaitHeld(1)).isFalse();
        list.gate.arm();
        Thread writer = new Thread(() -> list.add("b"), "writer");
        writer.setDaemon(true);
        writer.start();
        assertThat(list.gate.awaitHeld(5_000)).isTrue();
        Thread second = new Thread(() -> list.add("c"), "second-writer"); // disarmed: not held, but an overlap
        second.start();
        second.join(5_000);
        assertThat(second.isAlive()).as("a second writer, not held").isFalse();
        list.gate.release();
        writer.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(list).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(list.gate.overlaps()).singleElement().asString().startsWith("thread \"second-writer\" called add(...)");
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.gate.overlaps()).hasSize(1); // a lone reader overlaps nobody
    }
}
