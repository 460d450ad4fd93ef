package org.tcpworkbook.lab7;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tcpworkbook.kit.Notes;

/**
 * The epilogue's NettyEchoServer (labs/lab7/src/netty/java), which the chapter quotes and the
 * benchmark uses as its anchor: given code, so its checks are tagged {@code ungraded} and pass on the
 * skeleton. They are Task 1 and 2's own checks of the protocol's line ends and line limit. Not
 * under the kit's leak check (Peers), which judges the student's code: after the line-limit check
 * it finds one of Netty's accepted SocketChannels still open (not looked into yet).
 */
@Tag("ungraded")
@DisplayName("Lab 7's epilogue: NettyEchoServer (ungraded: given code)")
class NettyEpilogueTest {

    /** The epilogue's server on an ephemeral loopback port, one event loop. */
    static final class Netty implements LineEchoServer, AutoCloseable {
        final NettyEchoServer server;

        Netty() throws InterruptedException {
            server = new NettyEchoServer(0, 1);
        }

        @Override
        public LineClient connect(String name) throws Exception {
            return LineClient.connect(server.port(), name, this::failIfEnded);
        }

        @Override
        public void failIfEnded() {
            // the event loop serves until close(): nothing ends it early
        }

        @Override
        public String notes() {
            return Notes.see("lab7", "epilogue");
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @Test
    @DisplayName("echoes each line, with the protocol's line ends (ungraded: given code)")
    void echoes() throws Exception {
        try (Netty s = new Netty()) {
            Lab7Test.echoes(s);
        }
    }

    @Test
    @DisplayName("answers a line over the limit with LINE_TOO_LONG and the end, and serves the others (ungraded: given code)")
    void lineLimit() throws Exception {
        try (Netty s = new Netty()) {
            Lab7Test.lineLimit(s);
        }
    }
}
