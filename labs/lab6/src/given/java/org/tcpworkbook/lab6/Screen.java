package org.tcpworkbook.lab6;

/**
 * Where the room client shows lines: the terminal in the program, a recorder in the checker. Each call
 * is one whole line; the client never makes two calls at once (it prints from two threads).
 */
@FunctionalInterface
public interface Screen {
    void show(String line);
}
