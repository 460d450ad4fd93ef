package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@DisplayName("ServerHarness, EventLog and Gate: the shared harness of the server labs")
class HarnessTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    /** A server whose serve() waits for its stop, and whose stop can be told to misbehave. */
    static final class FakeServer implements ServedLab {
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile boolean serveIgnoresStop;
        volatile boolean serveThrowsAtOnce;

        @Override
        public void serve() throws Exception {
            if (serveThrowsAtOnce) {
                throw new UnsupportedOperationException("Task 1: not yet (notes: lab9.html#task-serve)");
            }
            if (serveIgnoresStop) {
                new CountDownLatch(1).await(2, TimeUnit.SECONDS);   // blocked elsewhere: the stop does not reach it
            } else {
                stopped.await();
            }
        }

        @Override
        public void stop() {
            stopped.countDown();
        }

        @Override
        public String stopCall() {
            return "close()";
        }

        @Override
        public String notes() {
            return "(notes: lab9.html#task-stop)";
        }
    }

    @Test
    @DisplayName("stops a server whose serve() returns after the stop")
    void stopsAGoodServer() throws Exception {
        FakeServer server = new FakeServer();
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThat(harness.isServing()).isTrue();
        assertThat(harness.endedEarly()).isEmpty();
        harness.stop();
        assertThat(harness.isServing()).isFalse();
        harness.close();                                      // a second stop does nothing
    }

    @Test
    @DisplayName("fails the check when serve() does not return after the stop, naming the stop and the notes")
    void serveThatDoesNotReturn() throws Exception {
        FakeServer server = new FakeServer();
        server.serveIgnoresStop = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThatThrownBy(harness::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("serve() did not return within 300 ms after close() returned")
                .hasMessageContaining("lab9.html#task-stop");
    }

    @Test
    @DisplayName("says how serve() ended when it ended before any stop (the skeleton's 'not implemented')")
    void endedEarly() throws Exception {
        FakeServer server = new FakeServer();
        server.serveThrowsAtOnce = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (harness.isServing() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(harness.endedEarly()).contains("serve() ended before close() was called")
                .contains("Not implemented yet").contains("lab9.html#task-serve");
    }

    @Test
    @DisplayName("EventLog: awaits an event from another thread, and lists what came when it does not")
    void eventLog() throws Exception {
        EventLog log = new EventLog();
        Thread t = new Thread(() -> log.record("joined ann"));
        t.start();
        assertThat(log.await("joined ann"::equals, SHORT, "ann's join", "hint")).isEqualTo("joined ann");
        t.join();
        log.record("left bob");
        assertThatThrownBy(() -> log.await("left ann"::equals, Duration.ofMillis(50), "ann's leave", "(notes: x)"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("ann's leave")
                .hasMessageContaining("[joined ann, left bob]").hasMessageContaining("(notes: x)");
        assertThat(log.has("left bob"::equals)).isTrue();
    }

    @Test
    @DisplayName("Gate: holds the threads that pass while shut, counts them, and lets them go when opened")
    void gate() throws Exception {
        Gate gate = new Gate(Duration.ofSeconds(5));
        gate.pass();                                          // open: passes at once
        gate.shut();
        Thread held = new Thread(gate::pass, "held");
        held.start();
        gate.awaitHeld(1, SHORT, "the held thread");
        assertThat(gate.held()).isEqualTo(1);
        assertThatThrownBy(() -> gate.awaitHeld(2, Duration.ofMillis(50), "a second thread"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("only 1 of 2");
        gate.open();
        held.join(SHORT.toMillis());
        assertThat(held.isAlive()).isFalse();
        assertThat(gate.held()).isZero();
        assertThat(gate.isShut()).isFalse();
    }
}
