package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@DisplayName("Student: running student code under a deadline")
class StudentTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    @DisplayName("returns what the code returns, and rethrows its exceptions as they are")
    void passesResultsAndExceptions() throws Exception {
        assertThat(Student.call("adding", SHORT, () -> 1 + 1)).isEqualTo(2);
        assertThatThrownBy(() -> Student.call("parsing", SHORT, () -> Integer.parseInt("x")))
                .isExactlyInstanceOf(NumberFormatException.class);
    }

    @Test
    @DisplayName("turns the skeleton's UnsupportedOperationException into its instruction")
    void notImplementedYet() {
        assertThatThrownBy(() -> Student.run("greeting", SHORT, () -> {
            throw new UnsupportedOperationException("Task 9: implement greet (notes: lab9.html#greet)");
        })).isInstanceOf(AssertionFailedError.class)
                .hasMessage("Not implemented yet (greeting): Task 9: implement greet (notes: lab9.html#greet)");
    }

    @Test
    @DisplayName("names the JDK call that blocked code is waiting in, within its deadline")
    void namesTheBlockingCall() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Student.call("waiting for a client", SHORT, listener::accept))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageStartingWith("Your code was still blocked in java.net.ServerSocket.accept (called from ")
                    .hasMessageContaining("after 0.3 s while waiting for a client");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
        }
    }

    @Test
    @DisplayName("says when code spins in a loop of its own")
    void namesASpinningLoop() {
        assertThatThrownBy(() -> Student.run("spinning", SHORT, StudentTest::spin))
                .hasMessageContaining("running in org.tcpworkbook.kit.StudentTest.spin")
                .hasMessageContaining("a loop that never ends?");
    }

    private static void spin() {
        while (!Thread.currentThread().isInterrupted()) {
            Thread.onSpinWait();
        }
    }
}
