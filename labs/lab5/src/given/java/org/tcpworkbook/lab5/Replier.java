package org.tcpworkbook.lab5;

import java.io.IOException;

/**
 * Where the server's answers come from: "你说: " + the message in the program, a script in the
 * checker. Called on the session thread of the client that sent the message.
 */
@FunctionalInterface
public interface Replier {
    /** The answer to one message from a client; null ends that client's session. */
    String replyTo(String message) throws IOException;
}
