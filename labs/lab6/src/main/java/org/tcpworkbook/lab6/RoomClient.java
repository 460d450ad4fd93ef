package org.tcpworkbook.lab6;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Socket;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * The chat room's client, full duplex: the calling thread shows what the room sends, as it comes;
 * a thread of its own sends what the user types, as it is typed. Neither waits for the other.
 */
public final class RoomClient {
    /** What the client shows when the user typed a line longer than the protocol allows (not sent). */
    public static final String TOO_LONG = "(not sent: a line is at most " + ChatProtocol.MAX_LINE_BYTES + " bytes)";
    /** What the client shows when the room closed the connection. */
    public static final String CLOSED = "(the room closed the connection)";
    /** What the client shows when the connection was reset. */
    public static final String RESET = "(the connection was reset)";

    private RoomClient() {
    }

    /**
     * Chats in the room at the other end of {@code socket} (connected), until the user types a quit
     * word, the keyboard ends, or the room closes or resets the connection.
     * <ul>
     * <li>Every line from the room is shown (screen.show) as soon as it arrives, whatever the user
     *     is doing: the keyboard is read on a thread of its own.</li>
     * <li>Every line typed is sent at once, UTF-8, ending with {@code \n}; one longer than
     *     {@link ChatProtocol#MAX_LINE_BYTES} is not sent, and {@link #TOO_LONG} is shown instead.</li>
     * <li>screen.show gets whole lines, one call at a time, whichever thread calls it.</li>
     * <li>After a quit word is sent, or the keyboard ends, the client sends the end of its stream
     *     and shows what the room still sends, until the room closes.</li>
     * <li>When the room closes the connection, {@link #CLOSED} is shown last; when it resets it,
     *     {@link #RESET}. Then chat returns, with the socket closed.</li>
     * </ul>
     */
    public static void chat(Socket socket, BufferedReader keyboard, Screen screen) throws IOException {
        // TODO Task 5: start the keyboard thread (a daemon: System.in cannot be interrupted), then
        //  show the room's lines on this thread until the end; guard screen.show with one lock.
        throw new UnsupportedOperationException("Task 5: implement RoomClient.chat, full duplex (notes: lab6.html#task-client)");
    }
}
