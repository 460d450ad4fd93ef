package org.tcpworkbook.lab6;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * Lab 6's program: a chat room on 127.0.0.1, port PORT (default 8006; 0: any free port), which you
 * join yourself from this terminal with the room client; others join with {@code nc localhost PORT}.
 * When you quit (/quit or 关闭), the room closes. With {@code join PORT} it only joins a room that
 * runs elsewhere on this machine. From labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab6 -Dexec.args="8006"
 * ../mvnw -q compile exec:java -pl lab6 -Dexec.args="join 8006"
 * </pre>
 */
public final class Lab6 {
    /** Lines a member's outgoing queue holds before the room drops it as too slow. */
    static final int QUEUE_LIMIT = 256;

    private Lab6() {
    }

    // tag::main[]
    public static void main(String[] args) throws IOException {
        boolean joinOnly = args.length > 0 && args[0].equals("join");
        int port;
        try {
            port = Integer.parseInt(args.length > (joinOnly ? 1 : 0) ? args[joinOnly ? 1 : 0] : "8006");
        } catch (NumberFormatException e) {
            System.err.println("usage: Lab6 [PORT] | Lab6 join PORT: PORT is a number (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        PrintWriter screen = new PrintWriter(new OutputStreamWriter(System.out, ChatProtocol.CHARSET), true);
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (joinOnly) {
            join(new InetSocketAddress(loopback, port), keyboard, screen);
            System.exit(0);                                 // the keyboard thread may still wait for a line
        }
        try (ServerSocket listener = new ServerSocket(port, 50, loopback);
             ChatRoom room = new ChatRoom(listener, QUEUE_LIMIT)) {
            screen.println("(room on 127.0.0.1:" + listener.getLocalPort() + "; others join with: nc localhost "
                    + listener.getLocalPort() + "; /quit here closes the room)");
            RoomEvents events = new RoomEvents() {
                @Override
                public void left(String nick, String why) {
                    if (!why.equals("the room closed")) {
                        screen.println("(" + nick + ": " + why + ")");
                    }
                }
            };
            Thread serving = new Thread(() -> {
                try {
                    room.serve(events);
                } catch (IOException e) {
                    screen.println("(the room failed: " + e + ")");
                }
            }, "accept");
            serving.start();
            join(new InetSocketAddress(loopback, listener.getLocalPort()), keyboard, screen);
            screen.println("(closing the room)");
        } catch (BindException e) {
            screen.println("(cannot listen on port " + port + ": " + e.getMessage() + ")");
            System.exit(1);
        }
        System.exit(0);
    }
    // end::main[]

    private static void join(InetSocketAddress room, BufferedReader keyboard, PrintWriter screen) throws IOException {
        Socket socket = new Socket();
        socket.connect(room, 2000);
        RoomClient.chat(socket, keyboard, screen::println);
    }
}
