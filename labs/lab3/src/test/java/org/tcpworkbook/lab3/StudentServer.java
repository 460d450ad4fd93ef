package org.tcpworkbook.lab3;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Student;

/**
 * The student's ChatServer, bound and serving on its own thread under the checker's deadlines,
 * answering "你说: " + each message (a quit word for "please quit"), and recording its events.
 * Kept out of the checker class so that a failure report names the check, not this helper.
 */
final class StudentServer implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(3);
    static final String PLEASE_QUIT = "please quit";

    final ChatServer server;
    final int port;
    private final Student.Running<Void> serving;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private StudentServer(ChatServer server, int port) {
        this.server = server;
        this.port = port;
        ServerEvents recorder = new ServerEvents() {
            @Override
            public void connected(InetSocketAddress client) {
                events.add("connected " + client.getAddress().getHostAddress() + ":" + client.getPort());
            }

            @Override
            public void left(InetSocketAddress client, String why) {
                events.add("left " + client.getAddress().getHostAddress() + ":" + client.getPort());
            }
        };
        this.serving = Student.start("running serve(), which must return once close() is called", () -> {
            server.serve(StudentServer::answer, recorder);
            return null;
        });
    }

    static String answer(String message) {
        return PLEASE_QUIT.equals(message) ? "关闭" : "你说: " + message;
    }

    /** Binds 127.0.0.1, port 0, and starts serving. */
    static StudentServer start(int backlog, Duration idleTimeout) throws Exception {
        ChatServer server = Student.call("binding 127.0.0.1, port 0, backlog " + backlog, LIMIT,
                () -> ChatServer.bind(InetAddress.getLoopbackAddress(), 0, backlog, idleTimeout));
        int port = Student.call("asking the server for its port", LIMIT, server::port);
        return new StudentServer(server, port);
    }

    /**
     * The next event the server reported ("connected 127.0.0.1:40000", "left …"); fails the check,
     * with {@code hint}, when none comes.
     */
    String takeEvent(String waitingFor, String hint) throws InterruptedException {
        String event = events.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionFailedError("Your server reported no event within " + LIMIT.toMillis()
                    + " ms; the checker was waiting for " + waitingFor + ". " + hint);
        }
        return event;
    }

    boolean isServing() {
        return !serving.isDone();
    }

    /** Stops the server and waits for serve() to return: it must, promptly. */
    void stop() throws Exception {
        Student.run("stopping the server with close()", LIMIT, server::close);
        try {
            serving.await(Duration.ofSeconds(2));
        } catch (java.io.IOException e) {
            throw new AssertionFailedError("After close(), serve() threw " + e + " instead of returning: once the"
                    + " listener is closed, accept() throws SocketException, which is the signal to return"
                    + " (notes: lab3.html#task-stop)", e);
        }
    }

    @Override
    public void close() throws Exception {
        if (isServing()) {
            stop();
        }
    }
}
