package org.tcpworkbook.chat;

import java.io.IOException;

/**
 * Where a chat server's answers come from: the operator's keyboard in the program, a script in
 * the checker. A server with several clients at once calls it from several threads.
 */
@FunctionalInterface
public interface Replier {
    /**
     * The answer to one message from the client; a quit word ends the conversation after it is
     * sent, and null ends it at once.
     */
    String replyTo(String message) throws IOException;
}
