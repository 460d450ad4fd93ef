package org.tcpworkbook.kit;

import java.lang.instrument.Instrumentation;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Every socket this JVM creates, each with where it was created, held until it is closed: the
 * leak check's record, which no garbage collection can change.
 *
 * <p><b>Why.</b> The JDK closes a socket that became unreachable without {@code close()} when the
 * collector finds it (a cleaner on its file descriptor). A leak check that only counts the
 * process's sockets therefore gives a verdict that depends on whether a collection ran before it
 * counted: the same wrong program passes one run and fails the next. This record holds a strong
 * reference to every socket from the moment it is created, so the collector can never close one,
 * and asks the socket itself whether it was closed. It also keeps the stack where the socket was
 * created, so a leak is reported with the student's line, and a socket the checker's own peers
 * opened is never blamed on the student.
 *
 * <p><b>How.</b> A Java agent (Byte Buddy, the library Mockito and others use for the same kind of
 * work) adds a few instructions at the end of every constructor of {@link Socket}, {@link
 * ServerSocket} and the JDK's socket channels: they put the new socket and a {@link Throwable}
 * (its creation stack) into a map that lives in the system properties, so that the instructions,
 * which run inside {@code java.base}, use JDK types only, and every class loader of the kit (the
 * proof loads one per checked program) shares the one record. Accepted sockets are created by
 * {@code ServerSocket.accept()}, so their stack names the code that called {@code accept()}.
 * The agent is loaded with {@code -javaagent} (the labs' surefire argLine); where it was not (an
 * IDE), it is attached at run time, and where that fails too, the leak check falls back to
 * counting the process's sockets and says its verdict is then not reliable.
 */
final class SocketTracker {
    /** The system property under which the record lives (a map, not a string: {@code getProperty} ignores it). */
    static final String KEY = "org.tcpworkbook.kit.sockets";

    private static volatile Boolean installed;
    /** The classes whose constructors record the new socket. */
    private static final String[] TRACKED = {"java.net.Socket", "java.net.ServerSocket",
        "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl"};

    private SocketTracker() {
    }

    /** The code added at the end of every constructor of a socket class. Uses JDK types only. */
    static final class Track {
        private Track() {
        }

        @Advice.OnMethodExit
        @SuppressWarnings("unchecked")
        static void created(@Advice.This Object socket) {
            Object record = System.getProperties().get("org.tcpworkbook.kit.sockets");
            if (record instanceof Map) {
                ((Map<Object, Object>) record).putIfAbsent(socket, new Throwable("created here"));
            }
        }
    }

    /** Installs the agent once per JVM; false where it cannot be installed. */
    static synchronized boolean install() {
        if (installed != null) {
            return installed;
        }
        if (System.getProperties().get(KEY) instanceof Map) {
            installed = true; // another class loader's copy of the kit did it
            return true;
        }
        if (System.getProperty("net.bytebuddy.safe") == null) {
            // Byte Buddy then leaves sun.misc.Unsafe alone (JDK 24 and later warn at every use of it).
            System.setProperty("net.bytebuddy.safe", "true");
        }
        long started = System.nanoTime();
        try {
            // Load the socket classes first, so that they are rewritten now (retransformed) rather
            // than when first used: a class the JDK loads during a transformation is left alone.
            Class<?>[] types = new Class<?>[TRACKED.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = Class.forName(TRACKED[i], false, null);
            }
            Instrumentation instrumentation = ByteBuddyAgent.install();
            System.getProperties().put(KEY, Collections.synchronizedMap(new IdentityHashMap<>()));
            new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    // only these classes, not every class the JVM has loaded so far
                    .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(types))
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                    .ignore(ElementMatchers.none())
                    .type(ElementMatchers.namedOneOf(TRACKED))
                    .transform((builder, type, loader, module, domain) -> builder.visit(
                            Advice.to(Track.class).on(ElementMatchers.isConstructor())))
                    .installOn(instrumentation);
            installed = record().isPresent() && selfTest();
            if (Boolean.getBoolean("kit.leakcheck.verbose")) {
                System.err.println("kit: socket record " + (installed ? "on" : "OFF") + " after "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        } catch (ClassNotFoundException | RuntimeException | Error e) {
            installed = false;
        }
        return installed;
    }

    /** Whether a socket created now is recorded (the agent really rewrote the classes). */
    private static boolean selfTest() {
        Socket probe = new Socket();
        try {
            return record().map(r -> r.containsKey(probe)).orElse(false);
        } finally {
            forget(probe);
            try {
                probe.close();
            } catch (java.io.IOException ignored) {
                // never connected: nothing to close
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<Object, Object>> record() {
        Object record = System.getProperties().get(KEY);
        return record instanceof Map ? Optional.of((Map<Object, Object>) record) : Optional.empty();
    }

    private static void forget(Object socket) {
        record().ifPresent(r -> r.remove(socket));
    }

    /** A socket that is still open, and where it was created. */
    record Open(Object socket, StackTraceElement[] createdAt) {
        /** "a Socket connected 127.0.0.1:4711 → 127.0.0.1:38211" and the like. */
        String describe() {
            if (socket instanceof ServerSocket s) {
                return s.isBound() ? "a ServerSocket listening on " + s.getLocalSocketAddress() : "a ServerSocket";
            }
            if (socket instanceof Socket s) {
                if (s.isConnected()) {
                    return "a Socket connected from " + s.getLocalSocketAddress() + " to " + s.getRemoteSocketAddress();
                }
                return s.isBound() ? "a Socket bound to " + s.getLocalSocketAddress() : "a Socket (never connected)";
            }
            return "a " + socket.getClass().getSimpleName();
        }

        /**
         * The innermost frame of the code that created this socket, outside the JDK and the
         * libraries: the student's line, or the checker's.
         */
        Optional<StackTraceElement> creator() {
            for (StackTraceElement frame : createdAt) {
                if (!isPlatform(frame)) {
                    return Optional.of(frame);
                }
            }
            return Optional.empty();
        }

        void close() {
            try {
                if (socket instanceof java.io.Closeable c) {
                    c.close();
                }
            } catch (java.io.IOException ignored) {
                // closing what the student left open is only tidying up
            }
        }
    }

    /** The recorded sockets open now, by identity (closed ones are dropped from the record). */
    static java.util.Set<Object> openNow() {
        java.util.Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());
        record().ifPresent(r -> {
            synchronized (r) {
                r.entrySet().removeIf(SocketTracker::isDone);
                open.addAll(r.keySet());
            }
        });
        return open;
    }

    /** The recorded sockets open now that were not open in {@code before}, each with where it was created. */
    static List<Open> openExcept(java.util.Set<Object> before) {
        List<Open> open = new ArrayList<>();
        record().ifPresent(r -> {
            synchronized (r) {
                r.entrySet().removeIf(SocketTracker::isDone);
                r.forEach((socket, created) -> {
                    if (!before.contains(socket)) {
                        open.add(new Open(socket, ((Throwable) created).getStackTrace()));
                    }
                });
            }
        });
        return open;
    }

    /**
     * Whether a recorded socket is closed, or never will hold a descriptor: the socket that
     * {@code ServerSocket.accept()} makes before it waits, when the wait ended in an exception, and
     * the socket views of channels (the channel itself is recorded).
     */
    static boolean isClosed(Object socket) {
        if (socket.getClass().getName().startsWith("sun.nio.ch.")) {
            return socket instanceof Channel c ? !c.isOpen() : true;
        }
        if (socket instanceof Socket s) {
            if (s.isClosed()) {
                return true;
            }
            if (s.isConnected() || s.isBound()) {
                return false;
            }
            // Never connected: on JDK 17 a connect that failed released the descriptor without
            // marking the Socket closed (JDK 25 marks it). Such a socket refuses every option.
            try {
                s.getTcpNoDelay();
                return false;
            } catch (java.net.SocketException e) {
                return true;
            }
        }
        if (socket instanceof ServerSocket s) {
            return s.isClosed();
        }
        if (socket instanceof Channel c) {
            return !c.isOpen();
        }
        return true;
    }

    private static boolean isDone(Map.Entry<Object, Object> recorded) {
        return isClosed(recorded.getKey()) || isFailedAccept(recorded.getKey(), (Throwable) recorded.getValue());
    }

    private static boolean isFailedAccept(Object socket, Throwable created) {
        if (!(socket instanceof Socket s) || s.isConnected() || s.isBound()) {
            return false;
        }
        for (StackTraceElement frame : created.getStackTrace()) {
            if (frame.getClassName().equals("java.net.ServerSocket") && frame.getMethodName().equals("accept")) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's frames and those of the libraries the kit runs on. */
    static boolean isPlatform(StackTraceElement frame) {
        String name = frame.getClassName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("sun.")
                || name.startsWith("jdk.") || name.startsWith("com.sun.") || name.startsWith("net.bytebuddy.")
                || name.startsWith("org.junit.") || name.startsWith("org.assertj.");
    }

    /** The folder or jar a class was loaded from; null for the JDK's classes. */
    static Path location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Paths.get(source.getLocation().toURI());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
