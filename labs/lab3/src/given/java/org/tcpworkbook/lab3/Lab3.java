package org.tcpworkbook.lab3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.ServerEvents;

/**
 * Lab 3's program: the mini-QQ chat server, one client at a time; you, the operator, type the
 * answers. Listens on 127.0.0.1, port PORT (default 8008; 0: any free port). From labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab3 -Dexec.args="8008"
 * </pre>
 *
 * Then, in another terminal, {@code nc localhost 8008} or lab 2's client.
 */
public final class Lab3 {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private Lab3() {
    }

    // The keyboard thread and the events close the server while serve() runs in it, on purpose.
    @SuppressWarnings("try")
    // tag::main[]
    public static void main(String[] args) throws IOException {
        int port;
        try {
            port = Integer.parseInt(args.length > 0 ? args[0] : "8008");
        } catch (NumberFormatException e) {
            System.err.println("usage: Lab3 [PORT]: the port must be a number, not " + args[0]);
            System.exit(2);
            return;
        }
        // 1. The operator's keyboard and screen, in UTF-8 whatever the platform's default.
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
        PrintWriter screen = new PrintWriter(new OutputStreamWriter(System.out, ChatProtocol.CHARSET), true);
        // 2. Bind and listen on loopback: only programs on this machine can connect.
        AtomicBoolean answering = new AtomicBoolean();
        try (ChatServer server = ChatServer.bind(InetAddress.getLoopbackAddress(), port, 5, IDLE_TIMEOUT)) {
            screen.println("mini-QQ server listening on 127.0.0.1:" + server.port()
                    + " (connect with: nc localhost " + server.port() + "); Ctrl-D stops it");
            // 3. Serve one client after another; the operator answers each message. The keyboard
            //    has a thread of its own, so that its end (Ctrl-D) stops the server at once, even
            //    while it waits for a client; a client in the middle of a turn gets the quit word.
            AtomicBoolean stopping = new AtomicBoolean();
            BlockingQueue<Optional<String>> typed = new LinkedBlockingQueue<>();
            Thread typing = new Thread(() -> {
                try {
                    for (String line; (line = keyboard.readLine()) != null; ) {
                        typed.add(Optional.of(line));
                    }
                } catch (IOException e) {
                    screen.println("(the keyboard failed: " + e.getMessage() + ")");
                }
                stopping.set(true);
                typed.add(Optional.empty());
                if (!answering.get()) {
                    server.close(); // nobody waits for an answer: stop now
                }
            }, "keyboard");
            typing.setDaemon(true);
            typing.start();
            server.serve(message -> {
                screen.println("client> " + message);
                screen.print("you> ");
                screen.flush();
                answering.set(true);
                try {
                    Optional<String> answer = typed.take();
                    if (answer.isEmpty()) {
                        typed.add(answer); // the end stays the end
                        return "关闭";
                    }
                    return answer.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "关闭";
                } finally {
                    answering.set(false);
                }
            }, new ServerEvents() {
                @Override
                public void connected(InetSocketAddress client) {
                    screen.println("(connected: " + client.getAddress().getHostAddress() + ":" + client.getPort() + ")");
                }

                @Override
                public void left(InetSocketAddress client, String why) {
                    screen.println("(" + client.getAddress().getHostAddress() + ":" + client.getPort() + " " + why
                            + (stopping.get() ? "; stopping)" : "; waiting for the next client)"));
                    if (stopping.get()) {
                        server.close();
                    }
                }
            });
        } catch (BindException e) {
            screen.println("cannot listen on port " + port + ": " + e.getMessage() + " (is another server running?)");
            System.exit(1);
        }
    }
    // end::main[]
}
