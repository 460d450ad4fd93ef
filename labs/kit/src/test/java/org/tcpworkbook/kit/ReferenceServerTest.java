package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

@DisplayName("ReferenceServer: a scriptable server for checking clients")
@ExtendWith(Peers.class)
class ReferenceServerTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    @Test
    @DisplayName("listens on loopback, records lines and answers with the scripted replies in order")
    void repliesInOrder(ReferenceServer server) throws Exception {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        server.replyWith("one").replyWith("two", "three");
        try (RawClient client = new RawClient(server.address())) {
            client.send("hello\n");
            assertThat(server.takeReceived(WAIT)).isEqualTo("hello");
            assertThat(client.readBytes(4)).isEqualTo("one\n");
            client.send("again\n");
            assertThat(server.takeReceived(WAIT)).isEqualTo("again");
            assertThat(client.readBytes(10)).isEqualTo("two\nthree\n");
        }
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("greets each connection, and echoes when no reply is scripted")
    void greetsAndEchoes(ReferenceServer server) throws Exception {
        server.greet("欢迎").echo();
        try (RawClient client = new RawClient(server.address())) {
            assertThat(client.readBytes(7)).isEqualTo("欢迎\n");
            client.send("你好\n");
            assertThat(client.readBytes(7)).isEqualTo("你好\n");
        }
        assertThat(server.takeConnection(WAIT).number()).isEqualTo(1);
    }

    @Test
    @DisplayName("fragment(1) sends a reply byte by byte, which a correct reader reassembles")
    void fragments(ReferenceServer server) throws Exception {
        server.use(Policy.fragment(1)).replyWith("你好世界");
        try (RawClient client = new RawClient(server.address())) {
            client.send("hi\n");
            BufferedReader reader = new BufferedReader(new InputStreamReader(client.in(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("你好世界");
        }
        assertThat(server.transcript().lines()).filteredOn(l -> l.contains("server  sent 1 byte ")).hasSize(13);
    }

    @Test
    @DisplayName("notes a line that ends with \\r\\n (println on Windows) and keeps the \\r in it")
    void notesCarriageReturns(ReferenceServer server) throws Exception {
        try (RawClient client = new RawClient(server.address())) {
            client.send("windows\r\nunix\n");
            assertThat(server.takeReceived(WAIT)).isEqualTo("windows\r");
            assertThat(server.takeReceived(WAIT)).isEqualTo("unix");
        }
        assertThat(server.transcript().lines()).filteredOn(l -> l.contains("println on a socket")).hasSize(1);
    }

    @Test
    @DisplayName("coalesce sends a reply of several lines in one write")
    void coalesces(ReferenceServer server) throws Exception {
        server.use(Policy.COALESCE).replyWith("a", "b", "c");
        try (RawClient client = new RawClient(server.address())) {
            client.send("go\n");
            assertThat(client.readBytes(6)).isEqualTo("a\nb\nc\n");
        }
        assertThat(server.transcript().lines()).filteredOn(l -> l.contains("sent 6 bytes \"a\\nb\\nc\\n\"")).hasSize(1);
    }

    @Test
    @DisplayName("delay holds each reply back")
    void delays(ReferenceServer server) throws Exception {
        server.use(Policy.delay(Duration.ofMillis(150))).replyWith("late");
        try (RawClient client = new RawClient(server.address())) {
            long start = System.nanoTime();
            client.send("now?\n");
            assertThat(client.readBytes(5)).isEqualTo("late\n");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(140);
        }
    }

    @Test
    @DisplayName("STALL accepts, then neither reads nor writes: only a read timeout notices")
    void stalls(ReferenceServer server) throws Exception {
        server.use(Policy.STALL).replyWith("never");
        try (RawClient client = new RawClient(server.address())) {
            client.socket.setSoTimeout(200);
            client.send("anyone?\n");
            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
        }
        assertThatThrownBy(() -> server.takeReceived(Duration.ofMillis(50))).isInstanceOf(AssertionFailedError.class);
    }

    @Test
    @DisplayName("closeAfter(1) answers once, then closes: the client reads -1")
    void closesAfterReplies(ReferenceServer server) throws Exception {
        server.use(Policy.closeAfter(1)).replyWith("bye");
        try (RawClient client = new RawClient(server.address())) {
            client.send("hi\n");
            assertThat(client.readBytes(4)).isEqualTo("bye\n");
            assertThat(client.read()).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("closeAfter(0) closes at once, after the greeting")
    void closesAtOnce(ReferenceServer server) throws Exception {
        server.use(Policy.closeAfter(0)).greet("go away");
        try (RawClient client = new RawClient(server.address())) {
            assertThat(client.readBytes(8)).isEqualTo("go away\n");
            assertThat(client.read()).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("resetAfter(1) answers once, then resets: the client gets the data, then \"Connection reset\"")
    void resets(ReferenceServer server) throws Exception {
        server.use(Policy.resetAfter(1)).replyWith("boom");
        try (RawClient client = new RawClient(server.address())) {
            client.send("hi\n");
            assertThat(client.readBytes(5)).isEqualTo("boom\n");
            assertThatThrownBy(client::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    @DisplayName("halfCloseAfter(1) stops sending but goes on reading")
    void halfCloses(ReferenceServer server) throws Exception {
        server.use(Policy.halfCloseAfter(1)).replyWith("done");
        try (RawClient client = new RawClient(server.address())) {
            client.send("request\n");
            assertThat(client.readBytes(5)).isEqualTo("done\n");
            assertThat(client.read()).isEqualTo(-1);
            client.send("still there?\n");
            assertThat(server.takeReceived(WAIT)).isEqualTo("request");
            assertThat(server.takeReceived(WAIT)).isEqualTo("still there?");
        }
    }

    @Test
    @DisplayName("takeReceived says what arrived when no whole line did")
    void takeReceivedExplainsAMissingNewline(ReferenceServer server) throws Exception {
        try (RawClient client = new RawClient(server.address())) {
            client.send("hello");
            server.takeConnection(WAIT);
            assertThatThrownBy(() -> server.takeReceived(Duration.ofMillis(300)))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("waited 300 ms")
                    .hasMessageContaining("5 bytes \"hello\" with no line end");
        }
    }

    @Test
    @DisplayName("takeReceived and takeConnection say when the client never connected")
    void saysWhenNobodyConnected(ReferenceServer server) {
        assertThatThrownBy(() -> server.takeReceived(Duration.ofMillis(50)))
                .hasMessageContaining("Your client never connected");
        assertThatThrownBy(() -> server.takeConnection(Duration.ofMillis(50)))
                .hasMessageContaining("for your client to connect to 127.0.0.1:" + server.port());
    }

    @Test
    @DisplayName("awaitClientEnd tells a client's close from its reset, and says when it stays open")
    void awaitClientEnd(ReferenceServer server) throws Exception {
        try (RawClient client = new RawClient(server.address())) {
            server.takeConnection(WAIT);
            assertThatThrownBy(() -> server.awaitClientEnd(Duration.ofMillis(100)))
                    .hasMessageContaining("for your client to close its connection");
        }
        assertThat(server.awaitClientEnd(WAIT)).isEqualTo(Outcome.EOF);
        try (RawClient client = new RawClient(server.address())) {
            client.send("x\n");
            server.takeReceived(WAIT);
            client.socket.setSoLinger(true, 0);
        }
        assertThat(server.awaitClientEnd(WAIT)).isEqualTo(Outcome.RESET);
    }

    @Test
    @DisplayName("close() ends its threads and its connections")
    void closeEndsEverything() throws Exception {
        ReferenceServer server = ReferenceServer.start();
        RawClient client = new RawClient(server.address());
        server.takeConnection(WAIT);
        server.close();
        assertThat(client.read()).isEqualTo(-1);
        client.close();
        // and the Peers extension fails this test if a server thread or socket is left behind
        assertThat(ReferenceClient.probe(server.address(), WAIT)).isEqualTo(Outcome.REFUSED);
    }
    @Test
    @DisplayName("replyAtEnd() answers only once the client has shut down its output, then closes")
    void repliesAtTheEndOfTheRequest(ReferenceServer server) throws Exception {
        server.replyAtEnd().echo();
        try (RawClient client = new RawClient(server.address())) {
            client.send("第一行\nsecond\n");
            assertThat(server.takeReceived(WAIT)).isEqualTo("第一行");
            assertThat(server.takeReceived(WAIT)).isEqualTo("second");
            client.socket.setSoTimeout(200);
            assertThatThrownBy(client::read).as("an answer before the end of the request")
                    .isInstanceOf(SocketTimeoutException.class);
            client.socket.setSoTimeout(2000);
            client.socket.shutdownOutput();
            assertThat(new String(client.in().readAllBytes(), StandardCharsets.UTF_8))
                    .as("the whole response, up to the server's close").isEqualTo("第一行\nsecond\n");
        }
        assertThat(server.awaitClientEnd(WAIT)).isEqualTo(Outcome.EOF);
    }
}
