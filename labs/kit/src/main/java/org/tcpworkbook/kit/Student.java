package org.tcpworkbook.kit;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the student's code under a deadline. Code that is still blocked when the deadline passes
 * fails the check with "your code was still blocked in X after N s" instead of hanging the build;
 * code the student has not written yet (the skeleton's {@link UnsupportedOperationException}) fails
 * with its instruction. Any other exception is rethrown as is, so a check may expect it.
 */
public final class Student {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** The names of the threads that run student code for the kit. */
    static final String THREAD_PREFIX = "student-code-";
    /** Threads left running by a check that already failed for it; the leak check skips them. */
    static final Set<Thread> ABANDONED = ConcurrentHashMap.newKeySet();

    private Student() {
    }

    /** A piece of the student's code, which may throw anything. */
    @FunctionalInterface
    public interface Code {
        void run() throws Exception;
    }

    /** Calls the student's code and returns its result, or fails the check when it exceeds {@code limit}. */
    public static <T> T call(String doing, Duration limit, Callable<T> code) throws Exception {
        return start(doing, code).await(limit);
    }

    /** Runs the student's code, failing the check when it exceeds {@code limit}. */
    public static void run(String doing, Duration limit, Code code) throws Exception {
        call(doing, limit, () -> {
            code.run();
            return null;
        });
    }

    /** Starts the student's code on its own thread (a server's loop, say); await or abandon it later. */
    public static <T> Running<T> start(String doing, Callable<T> code) {
        return new Running<>(doing, code);
    }

    /** Student code running on its own thread. */
    public static final class Running<T> {
        private final String doing;
        private final Thread thread;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile T result;
        private volatile Throwable failure;

        private Running(String doing, Callable<T> code) {
            this.doing = doing;
            this.thread = new Thread(() -> {
                try {
                    result = code.call();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.countDown();
                }
            }, THREAD_PREFIX + THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        public boolean isDone() {
            return done.getCount() == 0;
        }

        public Thread thread() {
            return thread;
        }

        /**
         * Whether the code finished within {@code limit}; unlike {@link #await}, a wait in vain is no
         * failure and leaves the code running. Once it says true, how the code ended is recorded.
         */
        public boolean awaitDone(Duration limit) throws InterruptedException {
            return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Waits for the code to finish and returns its result or rethrows its exception. Fails the
         * check, naming where the code was blocked, when it has not finished within {@code limit}.
         */
        public T await(Duration limit) throws Exception {
            if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                String where = blockedIn(thread.getStackTrace());
                ABANDONED.add(thread);
                thread.interrupt();
                throw new AssertionFailedError("Your code was still " + where + " after "
                        + seconds(limit) + " while " + doing + ". Every blocking call needs a bound:"
                        + " a connect timeout, a read timeout (setSoTimeout), or a way to stop it.");
            }
            Throwable t = failure;
            if (t == null) {
                return result;
            }
            if (t instanceof UnsupportedOperationException) {
                throw new AssertionFailedError("Not implemented yet (" + doing + "): " + t.getMessage(), t);
            }
            if (t instanceof Exception e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /**
     * "blocked in java.net.ServerSocket.accept (called from Ports.java:42)": the JDK method the
     * student's code called and is waiting in, or "running in X" for code spinning on its own.
     */
    static String blockedIn(StackTraceElement[] stack) {
        int caller = -1;
        for (int i = 0; i < stack.length && caller < 0; i++) {
            if (!isJdk(stack[i]) && !isRunner(stack[i])) {
                caller = i; // the innermost frame of the code under test
            }
        }
        for (int i = 0; i < stack.length && caller < 0; i++) {
            if (!isJdk(stack[i])) {
                caller = i; // a method reference straight into the JDK: the runner called it
            }
        }
        if (caller < 0) {
            return stack.length == 0 ? "running (it ended just now)" : "blocked in " + stack[0];
        }
        StackTraceElement frame = stack[caller];
        String where = frame.getFileName() == null ? frame.getClassName()
                : frame.getFileName() + ":" + frame.getLineNumber();
        if (caller == 0) {
            return "running in " + frame.getClassName() + "." + frame.getMethodName()
                    + " (" + where + "), in a loop that never ends?";
        }
        StackTraceElement api = stack[caller - 1];
        return "blocked in " + api.getClassName() + "." + api.getMethodName() + " (called from " + where + ")";
    }

    private static boolean isRunner(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.equals(Student.class.getName()) || c.startsWith(Student.class.getName() + "$");
    }

    private static boolean isJdk(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("sun.")
                || c.startsWith("jdk.") || c.startsWith("com.sun.");
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
