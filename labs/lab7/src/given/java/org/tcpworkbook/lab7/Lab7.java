package org.tcpworkbook.lab7;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import org.tcpworkbook.chat.ChatProtocol;

/**
 * Lab 7's program: the line echo server, on virtual threads or on a Selector, on 127.0.0.1 port
 * PORT (default 8007; 0: any free port). From labs/ (JDK 21 or later):
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab7 -Dexec.args="selector 8007"
 * </pre>
 *
 * Then {@code nc localhost 8007} in other terminals. Type {@code stop} (or Ctrl-D) here to stop.
 */
public final class Lab7 {
    private Lab7() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "selector";
        int port;
        try {
            port = Integer.parseInt(args.length > 1 ? args[1] : "8007");
        } catch (NumberFormatException e) {
            System.err.println("usage: Lab7 [virtual|selector [PORT]]: PORT is a number (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Closeable server;
        Thread serving;
        switch (kind) {
            case "virtual" -> {
                ServerSocket listener = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress());
                VirtualEchoServer s = new VirtualEchoServer(listener);
                server = s;
                serving = new Thread(() -> run(s::serve), "accept");
                port = listener.getLocalPort();
            }
            case "selector" -> {
                ServerSocketChannel listener = ServerSocketChannel.open().bind(address, 4096);
                SelectorEchoServer s = new SelectorEchoServer(listener);
                server = s;
                serving = new Thread(() -> run(s::serve), "selector");
                port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            }
            default -> {
                System.err.println("usage: Lab7 [virtual|selector [PORT]]: not " + kind);
                System.exit(2);
                return;
            }
        }
        serving.start();
        System.out.println("echo server (" + kind + ") on 127.0.0.1:" + port + "; nc localhost " + port
                + "; type stop to stop");
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
        for (String line = keyboard.readLine(); line != null && !line.strip().equals("stop"); line = keyboard.readLine()) {
            System.out.println("type stop to stop");
        }
        server.close();
        serving.join(5000);
    }

    private interface Serving {
        void serve() throws IOException;
    }

    private static void run(Serving serving) {
        try {
            serving.serve();
        } catch (IOException | RuntimeException e) {
            System.err.println("serve() ended: " + e);
        }
    }
}
