package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Loopback addresses in the states a check needs: nobody listening, or a listener that never accepts. */
public final class Loopback {
    private Loopback() {
    }

    /**
     * 127.0.0.1 and a port nobody listens on: the OS hands out a free port, which is closed again at
     * once, so a connect to it is refused.
     */
    public static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(probe.getInetAddress(), probe.getLocalPort());
        }
    }

    /**
     * For a server that was told to listen on 127.0.0.1 alone: the other loopback addresses
     * ({@code ::1}, {@code 127.0.0.2}) at which a connect to {@code port} succeeds within
     * {@code probe}. Empty for a server bound to 127.0.0.1; not empty for one bound to every
     * interface (the wildcard address). Skips the check (a JUnit assumption) on a machine that has
     * neither address.
     */
    public static List<String> otherAddressesAccepting(int port, Duration probe) throws IOException {
        List<String> tried = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (String other : new String[] {"::1", "127.0.0.2"}) { // loopback too, but not 127.0.0.1
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(other), port);
            Outcome outcome;
            try {
                outcome = ReferenceClient.probe(target, probe);
            } catch (IOException e) {
                continue; // this machine has no such loopback address
            }
            tried.add(other);
            if (outcome == Outcome.OPEN) {
                accepted.add(target.toString());
            }
        }
        Assumptions.assumeFalse(tried.isEmpty(), "this machine has neither ::1 nor 127.0.0.2 to try");
        return accepted;
    }

    /**
     * The range the OS picks ephemeral ports from, {@code {low, high}}: Linux's
     * /proc/sys/net/ipv4/ip_local_port_range where it exists (read with readAllLines: readString
     * has been seen to return a truncated value on /proc), else IANA's dynamic range.
     */
    public static int[] ephemeralRange() {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            String[] bounds = Files.readAllLines(file).get(0).trim().split("\\s+");
            return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {49152, 65535};
        }
    }

    /**
     * A listener that never accepts and whose backlog is already full, so that a further connect
     * neither succeeds nor is refused: it times out. On Linux exactly backlog + 1 connects complete
     * without an accept; this one has a backlog of 1 and holds 2.
     */
    public static FullBacklog fullBacklog() throws IOException {
        return new FullBacklog();
    }

    /** See {@link #fullBacklog()}. Close it after the check. */
    public static final class FullBacklog implements AutoCloseable {
        private static final int BACKLOG = 1;
        private final ServerSocket listener;
        private final List<Socket> fillers = new ArrayList<>();

        private FullBacklog() throws IOException {
            listener = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
            try {
                for (int i = 0; i < BACKLOG + 1; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    filler.connect(address(), 2000);
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        public InetSocketAddress address() {
            return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            for (Socket filler : fillers) {
                filler.close();
            }
            listener.close();
        }
    }
}
