package org.tcpworkbook.lab3;

import java.io.IOException;

/**
 * Where the server's answers come from: the operator's keyboard in the program, a script in the
 * checker.
 */
@FunctionalInterface
public interface Replier {
    /**
     * The answer to one message from the client; a quit word ends the conversation after it is
     * sent.
     */
    String replyTo(String message) throws IOException;
}
