package org.tcpworkbook.lab6;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import org.tcpworkbook.chat.BadLineException;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;

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

    // tag::chat[]
    /**
     * Chats in the room at the other end of {@code socket} (connected), until the user types a quit
     * word (sent, then the room's last lines shown), or the room closes or resets the connection.
     * Returns with the socket closed; the keyboard thread ends at the next line typed, or at once
     * if the user quit or the keyboard ended.
     */
    public static void chat(Socket socket, BufferedReader keyboard, Screen screen) throws IOException {
        Object screenLock = new Object();                  // one line at a time, whichever thread shows it
        Screen shown = line -> {
            synchronized (screenLock) {
                screen.show(line);
            }
        };
        OutputStream out = socket.getOutputStream();
        Thread typing = new Thread(() -> type(socket, out, keyboard, shown), "room-keyboard");
        typing.setDaemon(true);                            // System.in cannot be interrupted
        typing.start();
        String last;
        try (socket) {
            LineReader in = new LineReader(socket.getInputStream());
            String line;
            while ((line = in.readLine()) != null) {
                shown.show(line);                          // as it comes, whatever the user is doing
            }
            last = CLOSED;
        } catch (SocketException e) {
            last = RESET;                                  // "Connection reset": the room is gone
        } catch (BadLineException e) {
            last = "(the room sent a line the protocol refuses: " + e.getMessage() + ")";
        }
        shown.show(last);                                  // shown once the socket is closed
    }
    // end::chat[]

    // tag::type[]
    /** The keyboard thread: each line typed is sent whole, in one write; a quit word is the last. */
    private static void type(Socket socket, OutputStream out, BufferedReader keyboard, Screen shown) {
        try {
            String line;
            while ((line = keyboard.readLine()) != null && !socket.isClosed()) {
                byte[] bytes = (line + "\n").getBytes(ChatProtocol.CHARSET);
                if (bytes.length - 1 > ChatProtocol.MAX_LINE_BYTES) {
                    shown.show(TOO_LONG);                  // bad input: said, and nothing lost on the wire
                    continue;
                }
                out.write(bytes);
                out.flush();
                if (ChatProtocol.isQuit(line)) {
                    break;
                }
            }
            socket.shutdownOutput();                       // the room reads the end, says bye, closes
        } catch (IOException e) {
            // the connection is gone: the reading side tells the user
        }
    }
    // end::type[]
}
