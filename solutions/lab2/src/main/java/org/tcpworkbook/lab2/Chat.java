package org.tcpworkbook.lab2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.tcpworkbook.chat.ChatProtocol;

/** The turn-based chat: you type a line, the server answers with one, until either side quits. */
public final class Chat {
    /** How long to wait for the connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait for each answer: a person types it. */
    public static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private Chat() {
    }

    // tag::run[]
    /**
     * Connects to {@code server}, then repeats: read a line from {@code keyboard}, send it, print
     * the answer on {@code screen}. Stops, closing the connection, when you type a quit word (sent
     * first, so that the server knows), when the server answers with one, when the server closes
     * the connection, or when the keyboard input ends.
     */
    public static void run(InetSocketAddress server, BufferedReader keyboard, PrintWriter screen) throws IOException {
        try (ChatClient client = ChatClient.connect(server, CONNECT_TIMEOUT, READ_TIMEOUT)) {
            while (true) {
                screen.print("you> ");
                screen.flush();
                String line = keyboard.readLine();
                if (line == null) {
                    screen.println();
                    screen.println("(end of input: leaving)");
                    return;
                }
                client.send(line);
                if (ChatProtocol.isQuit(line)) {
                    screen.println("(you left the chat)");
                    return;
                }
                String answer = client.receive();
                if (answer == null) {
                    screen.println("(the server closed the connection)");
                    return;
                }
                screen.println("server> " + answer);
                if (ChatProtocol.isQuit(answer)) {
                    screen.println("(the server ended the chat)");
                    return;
                }
            }
        }
    }
    // end::run[]
}
