package org.tcpworkbook.lab2;

import java.time.Duration;
import org.tcpworkbook.kit.ReferenceServer;
import org.tcpworkbook.kit.Student;

/**
 * The student's ChatClient, driven under the checker's deadlines. Kept out of the checker class so
 * that a failure report names the check, not this helper.
 */
final class StudentClient {
    private StudentClient() {
    }

    static ChatClient connect(ReferenceServer server) throws Exception {
        return Student.call("connecting to the reference server at 127.0.0.1:" + server.port(), Lab2Test.LIMIT,
                () -> ChatClient.connect(server.address(), Lab2Test.CONNECT_TIMEOUT, Lab2Test.READ_TIMEOUT));
    }

    static String receive(ChatClient client, String doing) throws Exception {
        return Student.call(doing, Lab2Test.LIMIT, client::receive);
    }

    static void closeQuietly(ChatClient client) {
        try {
            Student.run("closing the client", Lab2Test.LIMIT, client::close);
        } catch (Exception ignored) {
            // the check says what went wrong; the Peers extension reports what was left open
        }
    }
}
