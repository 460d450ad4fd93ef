package org.tcpworkbook.lab5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's view of this machine's TCP connections (Linux: /proc/net/tcp and tcp6), for what a
 * peer cannot see from its side: a server socket left open after its client closed stays in
 * CLOSE_WAIT; the side that closed first keeps its end of the connection in TIME_WAIT.
 */
final class TcpStates {
    static final String ESTABLISHED = "01";
    static final String TIME_WAIT = "06";
    static final String CLOSE_WAIT = "08";
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpStates() {
    }

    /** Whether this platform shows the table (elsewhere, the checks that need it are skipped). */
    static boolean readable() {
        return Files.isReadable(TABLES.get(0));
    }

    /**
     * How many connections are in {@code state} with this local port, and this remote port (0: any).
     * Read with readAllLines (readString has been seen to truncate files in /proc).
     */
    static long count(String state, int localPort, int remotePort) {
        String local = ":" + hex(localPort);
        String remote = ":" + hex(remotePort);
        long n = 0;
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue; // no IPv6 on this machine, say
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals(state) && f[1].endsWith(local)
                        && (remotePort == 0 || f[2].endsWith(remote))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String hex(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }
}
