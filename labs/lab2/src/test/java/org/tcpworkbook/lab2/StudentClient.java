package org.tcpworkbook.lab2;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;

/**
 * The student's ChatClient, driven under the checker's deadlines. Kept out of the checker class so
 * that a failure report names the check, not this helper.
 */
final class StudentClient {
    private StudentClient() {
    }

    /** What receive() returned, and the JDK methods it was seen waiting in ("java.io.DataInputStream.readLine"). */
    record Received(String line, Set<String> waitedIn) {
        boolean waitedIn(String method) {
            return waitedIn.contains(method);
        }
    }

    /**
     * Whether the student's ChatClient calls DataInputStream.readLine: seen in its class file (both
     * names in its constant pool), so that the message does not depend on catching the call in the
     * act, which a reply already buffered does not allow. Only a message depends on it.
     */
    static boolean callsDataInputReadLine() {
        try (java.io.InputStream in = ChatClient.class.getResourceAsStream("ChatClient.class")) {
            if (in == null) {
                return false;
            }
            String constants = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return constants.contains("java/io/DataInputStream") && constants.contains("readLine");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static ChatClient connect(ReferenceServer server) throws Exception {
        return Student.call("connecting to the reference server at 127.0.0.1:" + server.port(), Lab2Test.LIMIT,
                () -> ChatClient.connect(server.address(), Lab2Test.CONNECT_TIMEOUT, Lab2Test.READ_TIMEOUT));
    }

    static String receive(ChatClient client, String doing) throws Exception {
        return Student.call(doing, Lab2Test.LIMIT, client::receive);
    }

    /**
     * receive(), and which JDK methods the call was waiting in while the reference server held its
     * bytes back (the checks that use it delay or fragment the reply, so the call waits for
     * ~100 ms or more): a failure message can then name the API that garbled the line, e.g.
     * DataInputStream.readLine, which no platform charset explains. Only the message depends on it.
     */
    static Received receiveWatched(ChatClient client, String doing) throws Exception {
        Student.Running<String> running = Student.start(doing, client::receive);
        Set<String> waitedIn = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!running.isDone() && !stop.get()) {
                for (StackTraceElement frame : running.thread().getStackTrace()) {
                    if (frame.getClassName().startsWith("java.")) {
                        waitedIn.add(frame.getClassName() + "." + frame.getMethodName());
                    }
                }
                LockSupport.parkNanos(500_000); // a sample every half millisecond, until the call returns
            }
        }, "lab2-checker-stack-sampler");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return new Received(running.await(Lab2Test.LIMIT), Set.copyOf(waitedIn));
        } finally {
            stop.set(true);
            watcher.join(Duration.ofSeconds(1).toMillis()); // it ends within one sample
        }
    }

    static void closeQuietly(ChatClient client) {
        try {
            Student.run("closing the client", Lab2Test.LIMIT, client::close);
        } catch (Exception ignored) {
            // the check says what went wrong; the Peers extension reports what was left open
        }
    }
}
