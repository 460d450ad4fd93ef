package org.tcpworkbook.kit;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The sockets this JVM holds open right now, for a check that a call closed what it opened the
 * moment it returns: more exact than the leak check after the test, by which time a garbage
 * collection may have closed an abandoned socket.
 */
public final class OpenSockets {
    private OpenSockets() {
    }

    /** Whether this platform lets the kit count them (Linux: /proc/self/fd). */
    public static boolean countable() {
        return Files.isDirectory(Paths.get("/proc/self/fd"));
    }

    /** How many sockets this JVM has open; 0 where they cannot be counted. */
    public static long count() {
        return LeakCheck.openSockets();
    }
}
