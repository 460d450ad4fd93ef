package org.tcpworkbook.lab7;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.Replier;
import org.tcpworkbook.chat.ServerEvents;

/**
 * One server of the benchmark (labs/bench/lab7-bench.sh), in a JVM of its own: prints
 * "PORT n PID p", then serves until its standard input ends. Kinds: {@code thread} (lab 4's
 * reference ChatServer, a thread per client, echoing), {@code pool} (the same with a fixed pool of
 * WORKERS, default 200), {@code virtual}, {@code selector} (lab 7's reference solutions),
 * {@code netty} (the epilogue, one event loop per core).
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "selector";
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Closeable server;
        int port;
        Thread serving = null;
        switch (kind) {
            case "virtual" -> {
                ServerSocket listener = new ServerSocket(0, 4096, loopback);
                VirtualEchoServer s = new VirtualEchoServer(listener);
                serving = Thread.ofPlatform().name("accept").start(() -> quietly(s::serve));
                server = s;
                port = listener.getLocalPort();
            }
            case "selector" -> {
                ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0), 4096);
                SelectorEchoServer s = new SelectorEchoServer(listener);
                serving = Thread.ofPlatform().name("selector").start(() -> quietly(s::serve));
                server = s;
                port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            }
            case "netty" -> {
                NettyEchoServer s = new NettyEchoServer(0, Runtime.getRuntime().availableProcessors());
                server = s;
                port = s.port();
            }
            case "thread", "pool" -> {
                // Lab 4's reference solution, on the class path from labs/lab4/target/solutions/classes.
                ServerSocket listener = new ServerSocket(0, 4096, loopback);
                Class<?> type = Class.forName("org.tcpworkbook.lab4.ChatServer");
                Constructor<?> make = type.getConstructor(ServerSocket.class, int.class, Duration.class);
                Object s = make.newInstance(listener, kind.equals("thread") ? 0 : workers, Duration.ofMinutes(5));
                Method serve = type.getMethod("serve", Replier.class, ServerEvents.class);
                Replier echo = message -> message;
                serving = Thread.ofPlatform().name("accept").start(() -> quietly(() -> serve.invoke(s, echo, ServerEvents.NONE)));
                server = (Closeable) s;
                port = listener.getLocalPort();
            }
            default -> throw new IllegalArgumentException("kind: thread, pool, virtual, selector or netty; not " + kind);
        }
        System.out.println("PORT " + port + " PID " + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, ChatProtocol.CHARSET));
        while (in.readLine() != null) {
            // serve until the benchmark closes our standard input
        }
        server.close();
        if (serving != null) {
            serving.join(5000);
        }
        System.exit(0);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void quietly(Body body) {
        try {
            body.run();
        } catch (Exception e) {
            System.err.println("serve() ended: " + e);
        }
    }
}
