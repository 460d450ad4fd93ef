package org.tcpworkbook.lab4;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * Lab 4's program: the chat server for many clients at once. Each message gets an answer that
 * says how many are online; {@code /who} lists them. Listens on 127.0.0.1, port PORT (default
 * 8008; 0: any free port), with WORKERS workers (default 4; 0: a thread per client). From labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab4 -Dexec.args="8008 2"
 * </pre>
 *
 * Then, in several other terminals, {@code nc localhost 8008}. Type {@code stop} (or Ctrl-D) here to stop.
 */
public final class Lab4 {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private Lab4() {
    }

    // tag::main[]
    public static void main(String[] args) throws IOException {
        int port;
        int workers;
        try {
            port = Integer.parseInt(args.length > 0 ? args[0] : "8008");
            workers = Integer.parseInt(args.length > 1 ? args[1] : "4");
        } catch (NumberFormatException e) {
            System.err.println("usage: Lab4 [PORT [WORKERS]]: both are numbers (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        PrintWriter screen = new PrintWriter(new OutputStreamWriter(System.out, ChatProtocol.CHARSET), true);
        // 1. Bind and listen on loopback, with room for 50 waiting connections.
        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
             ChatServer server = new ChatServer(listener, workers, IDLE_TIMEOUT)) {
            screen.println("chat server on 127.0.0.1:" + listener.getLocalPort() + " with "
                    + (workers == 0 ? "a thread per client" : workers + " workers")
                    + "; connect with: nc localhost " + listener.getLocalPort() + "; type stop to stop");
            // 2. Answers come from shared state: who is online, and a number for each answer. The
            //    number is taken from the increment itself: reading messages() and adding 1 would
            //    give two clients answered at the same moment the same number (read, then add).
            AtomicLong answers = new AtomicLong();
            Replier replier = message -> message.strip().equals("/who")
                    ? "online: " + server.online().stream().map(Lab4::name).collect(Collectors.joining(", "))
                    : "#" + answers.incrementAndGet() + " (" + server.online().size() + " online) 你说: " + message;
            ServerEvents events = new ServerEvents() {
                @Override
                public void connected(InetSocketAddress client) {
                    screen.println("(" + name(client) + " connected, on " + Thread.currentThread().getName() + ")");
                }

                @Override
                public void left(InetSocketAddress client, String why) {
                    screen.println("(" + name(client) + " " + why + ")");
                }

                @Override
                public void turnedAway(InetSocketAddress client) {
                    screen.println("(" + name(client) + " turned away: every worker is busy)");
                }
            };
            // 3. Serve on a thread of its own, so that this one can wait for the operator's "stop".
            Thread serving = new Thread(() -> {
                try {
                    server.serve(replier, events);
                } catch (IOException e) {
                    screen.println("the server failed: " + e);
                }
            }, "accept");
            serving.start();
            BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
            String line;
            while ((line = keyboard.readLine()) != null && !line.strip().equals("stop")) {
                screen.println("online: " + server.online().size() + ", messages answered: " + server.messages());
            }
            // 4. Stop: close() ends every conversation and waits for its thread.
            screen.println("stopping…");
        } catch (BindException e) {
            screen.println("cannot listen on port " + port + ": " + e.getMessage() + " (is another server running?)");
            System.exit(1);
        }
        screen.println("stopped");
    }
    // end::main[]

    private static String name(InetSocketAddress client) {
        return client.getAddress().getHostAddress() + ":" + client.getPort();
    }
}
