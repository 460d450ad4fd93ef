package org.tcpworkbook.lab5;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.ServerEvents;

/**
 * Lab 5's program: every way a connection ends, shown live, step by step, on 127.0.0.1. It plays
 * the clients itself and finishes on its own. From labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab5
 * </pre>
 */
public final class Lab5 {
    /** How long the program waits for anything (a line, an event, the end of a stream). */
    private static final int WAIT_MS = 2000;
    private static final PrintWriter SCREEN = new PrintWriter(new OutputStreamWriter(System.out, ChatProtocol.CHARSET), true);

    private Lab5() {
    }

    // WordCounter.close() joins its thread, so it may throw InterruptedException: meant, not a slip.
    @SuppressWarnings("try")
    // tag::main[]
    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        ServerEvents log = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                events.add("accept() returned a new socket for " + show(client));
            }

            @Override
            public void left(InetSocketAddress client, String why) {
                events.add("session of " + show(client) + " over: " + why);
            }
        };

        step("1. bind: the server binds 127.0.0.1 explicitly (a client never needs to bind)");
        ClosingServer server = ClosingServer.bind(loopback, 0, 50);
        int port = server.port();
        say("listening on 127.0.0.1:" + port);
        Thread acceptor = new Thread(() -> serve(server, log), "acceptor");
        acceptor.start();

        step("2. two clients connect: each accept() returns a NEW socket, served by a thread of its own");
        Client alice = new Client("alice", port);
        Client bob = new Client("bob", port);
        say(event(events));
        say(event(events));
        say("clients(): " + server.clients());
        alice.chat("你好");
        bob.chat("hello");

        step("3. kick alice: the server closes her accepted socket; she reads -1, bob goes on");
        server.kick(alice.address());
        say("alice reads: " + alice.readToEnd());
        say(event(events));
        bob.chat("还在吗? still there?");
        say("clients(): " + server.clients());

        step("4. stop accepting: the listener is closed; serve() returns; bob is still connected");
        server.stopAccepting();
        acceptor.join(WAIT_MS);
        say("serve() returned: " + !acceptor.isAlive());
        try (Socket late = new Socket()) {
            late.connect(new InetSocketAddress(loopback, port), WAIT_MS);
            say("a new client connected?! (it should have been refused)");
        } catch (ConnectException e) {
            say("a new client's connect: " + e.getMessage());
        }
        bob.chat("the listener is closed, and we still chat");

        step("5. half-close: send a request, shutdownOutput() (FIN), then read the response until -1");
        try (WordCounter counter = new WordCounter()) {
            String response = Requests.ask(counter.address(), "one two three\n四 五\n", Duration.ofMillis(WAIT_MS));
            say("response: " + response.strip());
        }

        step("6. graceful shutdown: bob gets the goodbye line, then -1");
        server.shutdown(Duration.ofSeconds(2));
        say("bob reads: " + bob.readToEnd());
        say(event(events));
        bob.close();                                         // bob closes second: the server's side is in TIME_WAIT

        step("7. restart at once on the same port, while the old connections are in TIME_WAIT");
        try (ClosingServer again = ClosingServer.bind(loopback, port, 50)) {
            say("bound 127.0.0.1:" + again.port() + " again at once (SO_REUSEADDR is on)");
        }
        step("done");
    }
    // end::main[]

    private static void serve(ClosingServer server, ServerEvents log) {
        try {
            server.serve(message -> "你说: " + message, log);
        } catch (IOException e) {
            say("serve() failed: " + e);
        }
    }

    private static String event(BlockingQueue<String> events) throws InterruptedException {
        String event = events.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        return event == null ? "(no event from the server within " + WAIT_MS + " ms)" : "server: " + event;
    }

    private static String show(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static void step(String title) {
        SCREEN.println();
        SCREEN.println("== " + title);
    }

    private static void say(String line) {
        SCREEN.println("   " + line);
    }

    /** A chat client of the program: one socket, reads bounded by WAIT_MS. */
    private static final class Client implements AutoCloseable {
        private final String name;
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final Writer out;

        Client(String name, int port) throws IOException {
            this.name = name;
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), WAIT_MS);
            socket.setSoTimeout(WAIT_MS);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ChatProtocol.CHARSET));
            out = new OutputStreamWriter(socket.getOutputStream(), ChatProtocol.CHARSET);
            say(name + " connected from local port " + socket.getLocalPort());
        }

        /** The address the server sees for this client: what clients() lists and kick() takes. */
        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void chat(String message) throws IOException {
            out.write(message + "\n");
            out.flush();
            say(name + " sends \"" + message + "\", reads \"" + in.readLine() + "\"");
        }

        /** Every line left, then what the end was: "-1 (the server closed)". */
        String readToEnd() throws IOException {
            StringBuilder seen = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                seen.append('"').append(line).append("\", ");
            }
            return (seen.length() == 0 ? "nothing more, " : seen) + "then -1 (the server closed its side)";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A request/response server: reads the whole request, up to -1, then answers and closes. */
    @SuppressWarnings("try") // its close() joins its thread (InterruptedException)
    private static final class WordCounter implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::answerOne, "word-counter");

        WordCounter() throws IOException {
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        private void answerOne() {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(WAIT_MS);
                String request = new String(socket.getInputStream().readAllBytes(), ChatProtocol.CHARSET);
                say("(word counter read -1: the request is complete)");
                String[] words = request.strip().split("\\s+");
                socket.getOutputStream().write(("收到 " + words.length + " words\n").getBytes(ChatProtocol.CHARSET));
            } catch (IOException e) {
                say("(word counter: " + e + ")");
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            thread.join(WAIT_MS);
        }
    }
}
