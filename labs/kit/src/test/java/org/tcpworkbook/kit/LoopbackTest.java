package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Loopback: addresses and ports in the states a check needs")
class LoopbackTest {
    private static final Duration PROBE = Duration.ofMillis(500);

    @Test
    @DisplayName("finds no other loopback address accepting for a listener on 127.0.0.1 alone")
    void noOtherAddressForALoopbackListener() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            assertThat(Loopback.otherAddressesAccepting(listener.getLocalPort(), PROBE)).isEmpty();
        }
    }

    @Test
    @DisplayName("finds 127.0.0.2 accepting for a listener bound there")
    void findsAnotherAddressThatAccepts() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.2"))) {
            assertThat(Loopback.otherAddressesAccepting(listener.getLocalPort(), PROBE))
                    .containsExactly("/127.0.0.2:" + listener.getLocalPort());
        }
    }
}
