package org.tcpworkbook.lab1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lab 1's program: asks your code about the addresses, ports and {@code host:port} pairs given as
 * arguments, then about a port the OS chooses. Run it from labs/:
 *
 * <pre>
 * ../mvnw -q compile exec:java -pl lab1 -Dexec.args="192.168.88.8 ::1 80 8080 localhost:22"
 * </pre>
 *
 * An argument of digits is a port; {@code host:port} or {@code [v6]:port} is a connect probe;
 * anything else is an address literal. With no arguments it shows a few of each.
 */
public final class Lab1 {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final List<String> EXAMPLES = List.of("127.0.0.1", "192.168.88.8", "169.254.10.1",
            "8.8.8.8", "::1", "fe80::1", "fd12:3456::1", "0.0.0.0", "256.1.1.1", "21", "80", "8080", "50000");

    private Lab1() {
    }

    // tag::main[]
    public static void main(String[] args) throws IOException {
        List<String> literals = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String arg : args.length == 0 ? EXAMPLES : List.of(args)) {
            if (arg.matches("\\d{1,9}")) {
                ports.add(Integer.parseInt(arg));
            } else if (arg.startsWith("[") || arg.indexOf(':') > 0 && arg.indexOf(':') == arg.lastIndexOf(':')) {
                targets.add(arg);
            } else {
                literals.add(arg);
            }
        }
        boolean allValid = true;

        System.out.println("1. Address literals (Addresses.classify)");
        for (String literal : literals) {
            try {
                AddressInfo info = Addresses.classify(literal);
                row(literal, info.family() + ", " + info.scope());
            } catch (IllegalArgumentException e) {
                row(literal, "invalid: " + e.getMessage());
                allValid = false;
            }
        }

        System.out.println("2. Port numbers (Ports.category, Ports.isInUse on 127.0.0.1)");
        for (int port : ports) {
            try {
                String use = port == 0 ? "port 0 asks the OS to choose" : Ports.isInUse(port) ? "in use" : "free";
                row(String.valueOf(port), Ports.category(port) + ", " + use);
            } catch (IllegalArgumentException e) {
                row(String.valueOf(port), "invalid: " + e.getMessage());
                allValid = false;
            }
        }

        System.out.println("3. Connect probes (ConnectProbe.probe, timeout " + PROBE_TIMEOUT.toMillis() + " ms)");
        for (String target : targets) {
            InetSocketAddress address = parseTarget(target);
            if (address == null || address.isUnresolved()) {
                row(target, "invalid: not host:port, or the host name does not resolve");
                allValid = false;
            } else {
                row(target, String.valueOf(ConnectProbe.probe(address, PROBE_TIMEOUT)));
            }
        }

        System.out.println("4. A port the OS chooses (Ports.listenOnEphemeralPort)");
        InetSocketAddress own;
        try (ServerSocket listener = Ports.listenOnEphemeralPort()) {
            own = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
            row("listening", own.getAddress().getHostAddress() + ":" + own.getPort()
                    + " (" + Ports.category(own.getPort()) + ")" + ephemeralRange());
            row("probe", "while listening: " + ConnectProbe.probe(own, PROBE_TIMEOUT));
        }
        row("probe", "after close:     " + ConnectProbe.probe(own, PROBE_TIMEOUT));
        if (!allValid && args.length > 0) {
            System.exit(2);
        }
    }
    // end::main[]

    private static void row(String what, String result) {
        System.out.printf("   %-16s %s%n", what, result);
    }

    /** {@code host:port} or {@code [v6]:port}; null if it is neither. */
    private static InetSocketAddress parseTarget(String target) {
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, Math.max(colon, 0));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = target.substring(colon + 1);
        if (colon < 1 || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            return null;
        }
        return new InetSocketAddress(host, Integer.parseInt(port));
    }

    private static String ephemeralRange() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            String[] bounds = Files.readAllLines(range).get(0).trim().split("\\s+");
            return "; this OS picks from " + bounds[0] + "-" + bounds[1];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
