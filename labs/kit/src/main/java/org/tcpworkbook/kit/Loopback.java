package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
