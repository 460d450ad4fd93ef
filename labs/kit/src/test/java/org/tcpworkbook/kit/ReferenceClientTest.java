package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

@DisplayName("ReferenceClient: a client for checking servers")
@ExtendWith(Peers.class)
class ReferenceClientTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** A one-connection server written the plain way, standing in for a student's server. */
    private static ServerSocket listener() throws Exception {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(2000);
        return listener;
    }

    @Test
    @DisplayName("probe tells OPEN, REFUSED and TIMED_OUT apart")
    void probeOutcomes() throws Exception {
        try (ServerSocket open = listener(); Loopback.FullBacklog full = Loopback.fullBacklog()) {
            InetSocketAddress openAddress = new InetSocketAddress(open.getInetAddress(), open.getLocalPort());
            assertThat(ReferenceClient.probe(openAddress, WAIT)).isEqualTo(Outcome.OPEN);
            assertThat(ReferenceClient.probe(Loopback.closedPort(), WAIT)).isEqualTo(Outcome.REFUSED);
            long start = System.nanoTime();
            assertThat(ReferenceClient.probe(full.address(), Duration.ofMillis(200))).isEqualTo(Outcome.TIMED_OUT);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 1500L);
        }
    }

    @Test
    @DisplayName("tryConnect keeps what connected and says why the rest did not: backlog + 1 complete")
    void tryConnectCountsTheBacklog(ReferenceClients clients) throws Exception {
        try (ServerSocket neverAccepts = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            int port = neverAccepts.getLocalPort();
            Duration wait = Duration.ofMillis(200);
            assertThat(java.util.List.of(clients.tryConnect(port, wait), clients.tryConnect(port, wait),
                    clients.tryConnect(port, wait), clients.tryConnect(port, wait)))
                    .containsExactly(Outcome.OPEN, Outcome.OPEN, Outcome.OPEN, Outcome.TIMED_OUT);
        }
        assertThat(clients.tryConnect(Loopback.closedPort().getPort(), WAIT)).isEqualTo(Outcome.REFUSED);
    }

    @Test
    @DisplayName("a refused connect fails the check with a message naming the address")
    void refusedConnectFailsClearly(ReferenceClients clients) throws Exception {
        int port = Loopback.closedPort().getPort();
        assertThatThrownBy(() -> clients.connect(port))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("could not connect to your server at 127.0.0.1:" + port)
                .hasMessageContaining("refused");
    }

    @Test
    @DisplayName("reads lines that arrive together, and keeps a partial line across a timeout")
    void readsLinesWithItsOwnBuffer(ReferenceClients clients) throws Exception {
        try (ServerSocket listener = listener()) {
            ReferenceClient client = clients.connect(listener.getLocalPort());
            try (Socket server = listener.accept()) {
                OutputStream out = server.getOutputStream();
                out.write("a\nb\n你".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(client.readLine(WAIT)).isEqualTo("a");
                assertThat(client.readLine(WAIT)).isEqualTo("b");
                assertThatThrownBy(() -> client.readLine(Duration.ofMillis(100)))
                        .isInstanceOf(AssertionFailedError.class)
                        .hasMessageContaining("client 1 waited 100 ms")
                        .hasMessageContaining("it did receive 3 bytes \"你\" with no line end");
                out.write("好\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(client.readLine(WAIT)).isEqualTo("你好");
            }
        }
    }

    @Test
    @DisplayName("sends lines shaped by its policy, which the server reassembles")
    void sendsFragmented(ReferenceClients clients) throws Exception {
        try (ServerSocket listener = listener()) {
            ReferenceClient client = clients.connect(listener.getLocalPort(), Policy.fragment(1));
            try (Socket server = listener.accept()) {
                server.setSoTimeout(2000);
                client.send("你好", "世界");
                InputStream in = server.getInputStream();
                assertThat(new String(in.readNBytes(14), StandardCharsets.UTF_8)).isEqualTo("你好\n世界\n");
            }
        }
        assertThat(clients.transcript().lines()).filteredOn(l -> l.contains("client 1 sent 1 byte")).hasSize(14);
    }

    @Test
    @DisplayName("awaitEnd tells EOF from RESET, and says when the server closed instead of answering")
    void awaitEndOutcomes(ReferenceClients clients) throws Exception {
        try (ServerSocket listener = listener()) {
            ReferenceClient polite = clients.connect(listener.getLocalPort());
            try (Socket server = listener.accept()) {
                server.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(polite.readLine(WAIT)).isEqualTo("bye");
            assertThat(polite.awaitEnd(WAIT)).isEqualTo(Outcome.EOF);

            ReferenceClient rude = clients.connect(listener.getLocalPort());
            Socket server = listener.accept();
            server.setSoLinger(true, 0);
            server.close();
            assertThat(rude.awaitEnd(WAIT)).isEqualTo(Outcome.RESET);

            ReferenceClient waiting = clients.connect(listener.getLocalPort());
            listener.accept().close();
            assertThatThrownBy(() -> waiting.readLine(WAIT))
                    .hasMessageContaining("your server closed the connection (read returned -1)");
            assertThat(waiting.outcome()).isEqualTo(Outcome.EOF);
        }
    }

    @Test
    @DisplayName("awaitEnd says OPEN when the server keeps the connection")
    void awaitEndWhileOpen(ReferenceClients clients) throws Exception {
        try (ServerSocket listener = listener()) {
            ReferenceClient client = clients.connect(listener.getLocalPort());
            try (Socket server = listener.accept()) {
                assertThat(client.awaitEnd(Duration.ofMillis(100))).isEqualTo(Outcome.OPEN);
            }
        }
    }

    @Test
    @DisplayName("connects from a fixed local port when asked, half-closes and resets")
    void localPortHalfCloseAndReset(ReferenceClients clients) throws Exception {
        int local = Loopback.closedPort().getPort();
        try (ServerSocket listener = listener()) {
            InetSocketAddress target = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
            ReferenceClient client = clients.connect(target, Policy.NORMAL, local);
            assertThat(client.localPort()).isEqualTo(local);
            try (Socket server = listener.accept()) {
                server.setSoTimeout(2000);
                assertThat(server.getPort()).isEqualTo(local);
                client.send("last words");
                client.halfClose();
                assertThat(new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("last words\n");
                server.getOutputStream().write("heard you\n".getBytes(StandardCharsets.UTF_8));
                assertThat(client.readLine(WAIT)).isEqualTo("heard you");
                client.reset();
                assertThat(client.isClosed()).isTrue();
            }
        }
    }
}
