package org.tcpworkbook.lab7;

/**
 * A line echo server on loopback as the shared checks of {@link Lab7Test} see it: the student's
 * ({@link EchoServerUnderTest}) or the epilogue's Netty server ({@link NettyEpilogueTest}).
 */
interface LineEchoServer {
    /** A new client of the server, connected (bounded). */
    LineClient connect(String name) throws Exception;

    /** Fails at once, saying how, when the server has stopped serving. */
    void failIfEnded() throws Exception;

    /** Where the notes explain this server: the checks end their messages with it. */
    String notes();
}
