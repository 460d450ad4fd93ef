package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** Runs small checks through the JUnit engine and verifies what the Peers extension made of them. */
@DisplayName("Peers: the extension every checker uses")
class PeersTest {

    private static Events run(String method, Class<?>... parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(Samples.class, method, parameterNames(parameters)))
                .execute().testEvents();
    }

    private static String parameterNames(Class<?>... parameters) {
        StringBuilder names = new StringBuilder();
        for (Class<?> p : parameters) {
            names.append(names.length() == 0 ? "" : ",").append(p.getName());
        }
        return names.toString();
    }

    @Test
    @DisplayName("a check that tidies up passes, its server stopped afterwards")
    void tidyCheckPasses() {
        run("tidy", ReferenceServer.class).assertThatEvents().haveExactly(1, event(test(), finishedSuccessfully()));
        assertThat(Samples.lastServer.connectionCount()).isEqualTo(1);
        assertThat(Samples.lastServer.transcript().toString()).contains("hello");
    }

    @Test
    @DisplayName("a failed check's report ends with what happened on the wire")
    void failureCarriesTheTranscript() {
        run("failsAfterTalking", ReferenceServer.class).assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.startsWith("the student's answer was wrong")
                                && m.contains("What happened on the wire")
                                && m.contains("server  received 6 bytes \"hello\\n\"")
                                && m.contains("server  sent 4 bytes \"hi!\\n\"")))));
    }

    @Test
    @DisplayName("a failed check with no traffic is reported as it is")
    void quietFailureUnchanged() {
        run("failsQuietly", ReferenceServer.class).assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(message("nothing to do with the network"))));
    }

    @Test
    @DisplayName("a check whose code leaves a socket open fails, naming the line that opened it")
    void leakedSocketFails() {
        run("leaksASocket").assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(message(m -> m.contains("a Socket connected from")
                        && m.contains("opened at PeersTest.java:")
                        && m.contains("(PeersTest$Samples.leaksASocket), still open: close every socket your code opens")))));
        assertThat(Samples.leaked.isClosed()).as("the leaked socket, closed by the kit once reported").isTrue();
    }

    @Test
    @DisplayName("a socket abandoned without close() is caught even when a collection runs before the check")
    void abandonedSocketFailsWhateverTheCollectorDoes() {
        System.setProperty(LeakCheck.FORCE_GC, "true");
        try {
            for (int run = 0; run < 5; run++) {
                run("abandonsSockets").assertThatEvents().haveExactly(1, event(test(),
                        finishedWithFailure(message(m -> m.contains("a ServerSocket, opened at PeersTest.java:")
                                && m.contains("a Socket connected from")
                                && m.contains("(PeersTest$Samples.abandonsSockets), still open")))));
            }
        } finally {
            System.clearProperty(LeakCheck.FORCE_GC);
        }
    }

    @Test
    @DisplayName("a check whose code leaves a thread running fails, naming the thread")
    void leakedThreadFails() {
        run("leaksAThread").assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(message(m -> m.contains("thread \"leaky-worker\" still blocked in"
                        + " java.util.concurrent.CountDownLatch.await")))));
        Samples.release.countDown();
    }

    /** The checks run above; not run on their own (surefire skips nested classes). */
    @ExtendWith(Peers.class)
    static class Samples {
        static ReferenceServer lastServer;
        static Socket leaked;
        static final CountDownLatch release = new CountDownLatch(1);

        @Test
        void tidy(ReferenceServer server) throws Exception {
            lastServer = server;
            server.replyWith("hi!");
            try (RawClient client = new RawClient(server.address())) {
                client.send("hello\n");
                assertThat(client.readBytes(4)).isEqualTo("hi!\n");
            }
        }

        @Test
        void failsAfterTalking(ReferenceServer server) throws Exception {
            server.replyWith("hi!");
            try (RawClient client = new RawClient(server.address())) {
                client.send("hello\n");
                client.readBytes(4);
            }
            server.close(); // let the server's thread finish recording
            throw new AssertionFailedError("the student's answer was wrong");
        }

        @Test
        void failsQuietly(ReferenceServer server) {
            throw new AssertionFailedError("nothing to do with the network");
        }

        @Test
        void leaksASocket() throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                leaked = new Socket(listener.getInetAddress(), listener.getLocalPort());
                listener.accept().close();
            }
        }

        @Test
        void abandonsSockets() throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                new Socket(listener.getInetAddress(), listener.getLocalPort()); // never closed, never kept
                listener.accept().close();
                ServerSocket trial = new ServerSocket();
                try {
                    trial.bind(listener.getLocalSocketAddress()); // taken: fails, and bind does not close it
                } catch (java.net.BindException expected) {
                    // the error path that forgets to close the trial socket
                }
            }
            System.gc(); // the collector runs: it must not hide what was left open
        }

        static void closeLeaked() {
            try {
                leaked.close();
            } catch (Exception ignored) {
                // best effort
            }
        }

        @Test
        void leaksAThread() {
            Thread worker = new Thread(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "leaky-worker");
            worker.setDaemon(true);
            worker.start();
        }
    }
}
