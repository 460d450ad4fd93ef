package org.tcpworkbook.kit;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

    /**
     * The sockets open now, from the kit's record of every socket (see {@link LeakCheck}): ask the
     * mark later which sockets opened since are still open, e.g. the moment a call returns.
     * Unlike a count of descriptors, the record holds each socket, so no collection can close one
     * first, and it names the line that opened each. Without the kit's agent it falls back to the count.
     */
    public static Mark mark() {
        return new Mark();
    }

    /** The sockets open at one moment; see {@link #mark()}. */
    public static final class Mark {
        private final Set<Object> recorded;
        private final long counted;

        private Mark() {
            boolean tracked = LeakCheck.tracked();
            this.recorded = tracked ? SocketTracker.openNow() : null;
            this.counted = tracked ? 0 : LeakCheck.openSockets();
        }

        /** How many sockets opened since the mark are open now (those of the kit's reference peers aside). */
        public long stillOpen() {
            return recorded != null ? opened().size() : Math.max(0, LeakCheck.openSockets() - counted);
        }

        /**
         * Each socket opened since the mark and open now, with the line that opened it: "a ServerSocket
         * bound to /127.0.0.1:4711, opened at Ports.java:42 (Ports.isInUse)"; joined with "; ".
         * Empty if there is none, or if the kit keeps no record here.
         */
        public String described() {
            if (recorded == null) {
                return "";
            }
            return opened().stream().map(o -> o.describe() + o.creator().map(f -> ", opened at " + LeakCheck.where(f)).orElse(""))
                    .collect(Collectors.joining("; "));
        }

        private List<SocketTracker.Open> opened() {
            return SocketTracker.openExcept(recorded).stream()
                    .filter(o -> o.creator().map(f -> !f.getClassName().startsWith(KIT_PACKAGE)).orElse(true))
                    .toList();
        }
    }

    private static final String KIT_PACKAGE = OpenSockets.class.getPackageName() + ".";
}
