package org.tcpworkbook.lab3;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets that the student's listener has accepted and this JVM still holds, told apart by
 * their kernel inode (Linux: /proc/net/tcp and tcp6 name each connection's ports and inode,
 * /proc/self/fd the inodes this process holds). Exact and immediate: whether an accepted socket is
 * still open when the server reports its client gone does not depend on a garbage collection
 * closing an abandoned socket, nor on what other sockets the check opens meanwhile.
 */
final class AcceptedSockets {
    private static final Path FDS = Paths.get("/proc/self/fd");
    private static final List<Path> TABLES = List.of(Paths.get("/proc/net/tcp"), Paths.get("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    private AcceptedSockets() {
    }

    /** Whether this platform lets the checker see them. */
    static boolean visible() {
        return Files.isDirectory(FDS) && Files.isReadable(TABLES.get(0));
    }

    /**
     * The inodes of the connections this JVM holds whose local port is {@code serverPort}: the
     * sockets the student's listener accepted and has not closed (not the listener itself, not a
     * connection still waiting in its backlog, which has no socket yet).
     */
    static Set<Long> open(int serverPort) {
        Set<Long> held = heldInodes();
        Set<Long> accepted = new HashSet<>();
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue; // no IPv6 on this machine
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || f[3].equals(LISTEN)) {
                    continue;
                }
                int colon = f[1].lastIndexOf(':');
                long inode;
                try {
                    if (Integer.parseInt(f[1].substring(colon + 1), 16) != serverPort) {
                        continue;
                    }
                    inode = Long.parseLong(f[9]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (inode != 0 && held.contains(inode)) {
                    accepted.add(inode);
                }
            }
        }
        return accepted;
    }

    /** Whether this JVM still holds the socket with this inode. */
    static boolean held(long inode) {
        return heldInodes().contains(inode);
    }

    private static Set<Long> heldInodes() {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | NumberFormatException e) {
                    // closed while we listed it
                }
            }
        } catch (IOException e) {
            // not Linux: visible() says so
        }
        return inodes;
    }
}
