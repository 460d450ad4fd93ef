package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@DisplayName("ServerHarness, EventLog and Gate: the shared harness of the server labs")
class HarnessTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    /** A server whose serve() waits for its stop, and whose serve() and stop can be told to misbehave. */
    static final class FakeServer implements ServedLab {
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicInteger stops = new AtomicInteger();
        final List<String> stoppedHooks = new CopyOnWriteArrayList<>();
        volatile boolean serveIgnoresStop;
        volatile boolean serveThrowsAtOnce;
        volatile boolean serveReturnsAtOnce;
        volatile boolean serveThrowsAfterStop;
        volatile boolean stopThrows;
        volatile boolean stopBlocks;

        @Override
        public void serve() throws Exception {
            if (serveThrowsAtOnce) {
                throw new UnsupportedOperationException("Task 1: not yet (notes: lab9.html#task-serve)");
            }
            if (serveReturnsAtOnce) {
                return;
            }
            if (serveIgnoresStop) {
                new CountDownLatch(1).await(2, TimeUnit.SECONDS);   // blocked elsewhere: the stop does not reach it
            } else {
                stopped.await();
            }
            if (serveThrowsAfterStop) {
                throw new SocketException("Socket closed");
            }
        }

        @Override
        public void stop() throws Exception {
            stops.incrementAndGet();
            if (stopBlocks) {
                new CountDownLatch(1).await(2, TimeUnit.SECONDS);
            }
            stopped.countDown();
            if (stopThrows) {
                throw new IllegalStateException("already closed");
            }
        }

        @Override
        public String notes() {
            return "(notes: lab9.html#task-stop)";
        }

        @Override
        public void stopped(String failed) {
            stoppedHooks.add(failed);
        }
    }

    /** serve() has ended, awaited (bounded), not slept on. */
    private static void awaitEnded(ServerHarness harness) throws InterruptedException {
        assertThat(harness.stillServingAfter(SHORT)).as("serve() still running").isFalse();
    }

    @Test
    @DisplayName("stops a server whose serve() returns after the stop, once, and asks the lab what else a stop must do")
    void stopsAGoodServer() throws Exception {
        FakeServer server = new FakeServer();
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThat(harness.isServing()).isTrue();
        assertThat(harness.endedEarly()).isEmpty();
        assertThat(harness.stillServingAfter(Duration.ofMillis(20))).isTrue();
        harness.stop();
        assertThat(harness.isServing()).isFalse();
        assertThat(harness.thrown()).isNull();
        harness.close();                                      // a second stop does nothing
        assertThat(server.stops).hasValue(1);
        assertThat(server.stoppedHooks).containsExactly(ServerHarness.STOP_FAILED);
    }

    @Test
    @DisplayName("close() after a check that did not stop the server stops it, its failures saying the check passed")
    void closeStops() throws Exception {
        FakeServer server = new FakeServer();
        server.serveIgnoresStop = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThatThrownBy(harness::close).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith(ServerHarness.STOP_AFTER_CHECK_FAILED + "after close(), serve() did not return:")
                .hasMessageContaining("while running serve(), which must return once close() was called")
                .hasMessageEndingWith("lab9.html#task-stop)");
    }

    @Test
    @DisplayName("fails the check when serve() does not return after the stop, naming the stop and the notes")
    void serveThatDoesNotReturn() throws Exception {
        FakeServer server = new FakeServer();
        server.serveIgnoresStop = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThatThrownBy(harness::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Stopping your server failed: after close(), serve() did not return:")
                .hasMessageContaining("after 0.3 s while running serve()")
                .hasMessageContaining("lab9.html#task-stop");
    }

    @Test
    @DisplayName("fails the check when serve() throws after the stop instead of returning")
    void serveThatThrowsAfterTheStop() throws Exception {
        FakeServer server = new FakeServer();
        server.serveThrowsAfterStop = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        assertThatThrownBy(harness::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessage("Stopping your server failed: after close(), serve() threw java.net.SocketException: Socket"
                        + " closed instead of returning: once the listener is closed, accept() throws SocketException,"
                        + " which is the signal to return (notes: lab9.html#task-stop)");
    }

    @Test
    @DisplayName("fails the check when the stop call blocks, or throws, naming the stop")
    void stopThatFails() throws Exception {
        FakeServer blocks = new FakeServer();
        blocks.stopBlocks = true;
        ServerHarness harness = ServerHarness.start(blocks, SHORT, SHORT);
        assertThatThrownBy(harness::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Stopping your server failed: Your code was still ")
                .hasMessageContaining("while stopping the server with close()")
                .hasMessageEndingWith("(notes: lab9.html#task-stop)");
        FakeServer throwing = new FakeServer();
        throwing.stopThrows = true;
        ServerHarness other = ServerHarness.start(throwing, SHORT, SHORT);
        assertThatThrownBy(other::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessage("Stopping your server failed: close() threw java.lang.IllegalStateException: already"
                        + " closed: stopping must not fail (notes: lab9.html#task-stop)");
    }

    @Test
    @DisplayName("says how serve() ended when it returned before any stop, and the stop fails with it (and frees the port)")
    void endedEarly() throws Exception {
        FakeServer server = new FakeServer();
        server.serveReturnsAtOnce = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        awaitEnded(harness);
        assertThat(harness.endedEarly()).isEqualTo(" serve() ended before close() was called, by returning: a server"
                + " serves until it is stopped (notes: lab9.html#task-stop)");
        assertThatThrownBy(harness::stop).isInstanceOf(AssertionFailedError.class)
                .hasMessage("Stopping your server failed: serve() ended before close() was called, by returning: a"
                        + " server serves until it is stopped (notes: lab9.html#task-stop)");
        assertThat(server.stops).as("the stop called all the same, to free the port").hasValue(1);
        assertThat(server.stoppedHooks).isEmpty();
    }

    @Test
    @DisplayName("a skeleton's serve(): its 'Not implemented yet' fails the check as it is, instead of any wait")
    void notImplemented() throws Exception {
        FakeServer server = new FakeServer();
        server.serveThrowsAtOnce = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        awaitEnded(harness);
        String skeleton = "Not implemented yet (running serve(), which must return once close() was called): Task 1:"
                + " not yet (notes: lab9.html#task-serve)";
        assertThatThrownBy(harness::endedEarly).isInstanceOf(AssertionFailedError.class).hasMessage(skeleton);
        assertThatThrownBy(harness::close).isInstanceOf(AssertionFailedError.class).hasMessage(skeleton);
        assertThat(server.stops).hasValue(1);
    }

    @Test
    @DisplayName("a stop the check makes itself: serve() returning is no longer early, and stop() only awaits it")
    void stopByTheCheck() throws Exception {
        FakeServer server = new FakeServer();
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        harness.stopNow("closing while the checker held serve()");
        awaitEnded(harness);
        assertThat(harness.endedEarly()).isEmpty();
        harness.stop();
        assertThat(server.stops).hasValue(1);

        FakeServer stopping = new FakeServer();
        ServerHarness marked = ServerHarness.start(stopping, SHORT, SHORT);
        marked.stopping();                                    // the check stops it on a thread of its own
        stopping.stop();
        awaitEnded(marked);
        assertThat(marked.endedEarly()).isEmpty();
        marked.awaitReturned("stopAccepting()", "(notes: x)");
        marked.close();                                       // and the harness's stop is still called
        assertThat(stopping.stops).hasValue(2);
    }

    @Test
    @DisplayName("awaitReturned: after a stop the check made, serve() must return; the message names that stop")
    void awaitReturned() throws Exception {
        FakeServer server = new FakeServer();
        server.serveIgnoresStop = true;
        ServerHarness harness = ServerHarness.start(server, SHORT, SHORT);
        harness.stopCalled();
        server.stop();
        assertThatThrownBy(() -> harness.awaitReturned("stopAccepting()", "(notes: x)"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("After stopAccepting(), serve() did not return: Your code was still")
                .hasMessageEndingWith("(notes: x)");
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
