package org.tcpworkbook.lab2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * Lab 2's program: the mini-QQ chat client. Connects to HOST PORT (default 127.0.0.1 8008), then
 * you and the server take turns, one line each; 关闭 or /quit ends it. From labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab2 -Dexec.args="127.0.0.1 8008"
 * </pre>
 */
public final class Lab2 {
    private Lab2() {
    }

    // tag::main[]
    public static void main(String[] args) throws IOException {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port;
        try {
            port = Integer.parseInt(args.length > 1 ? args[1] : "8008");
        } catch (NumberFormatException e) {
            System.err.println("usage: Lab2 [HOST [PORT]]: the port must be a number, not " + args[1]);
            System.exit(2);
            return;
        }
        // 1. The keyboard and the screen, in UTF-8 whatever the platform's default.
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
        PrintWriter screen = new PrintWriter(new OutputStreamWriter(System.out, ChatProtocol.CHARSET), true);
        screen.println("mini-QQ client: connecting to " + host + ":" + port + " (type 关闭 or /quit to leave)");
        // 2. Chat until either side quits, the server leaves, or the keyboard input ends.
        try {
            Chat.run(new InetSocketAddress(host, port), keyboard, screen);
        } catch (ConnectException e) {
            screen.println("could not connect to " + host + ":" + port + ": " + e.getMessage()
                    + " (is the server running?)");
            System.exit(1);
        } catch (SocketTimeoutException e) {
            screen.println("no answer from " + host + ":" + port + " in time: " + e.getMessage());
            System.exit(1);
        } catch (SocketException e) {
            // A reset ("Connection reset") or a write to a connection that is gone ("Broken pipe").
            screen.println("the connection to " + host + ":" + port + " broke: " + e.getMessage()
                    + " (the server reset it, or went away without closing it)");
            System.exit(1);
        }
    }
    // end::main[]
}
