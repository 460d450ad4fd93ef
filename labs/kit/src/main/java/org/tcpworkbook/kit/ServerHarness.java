package org.tcpworkbook.kit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a student's server ({@link ServedLab}) the way every server lab's checker does: serve() on a
 * thread of its own from the start, watched for ending before any stop, and a stop that is itself
 * checked: the stop call must return within its limit, serve() must then return (not throw)
 * promptly, and whatever else the lab asks of a stop must hold. Labs 3 to 6 share it; each keeps
 * its own recorders (a {@link EventLog}, {@link Gate}s) and its own words in its ServedLab.
 */
public final class ServerHarness implements AutoCloseable {
    /** How a failed stop that a check asked for begins. */
    public static final String STOP_FAILED = "Stopping your server failed: ";
    /** How a failed stop after a passed check (its try-with-resources) begins. */
    public static final String STOP_AFTER_CHECK_FAILED = "The check passed, but stopping your server failed: ";

    private final ServedLab lab;
    private final Student.Running<Void> serving;
    private final Duration prompt;
    private final Duration stopLimit;
    /** The check stops the server itself: serve() ending from now on is no longer early. */
    private volatile boolean stopping;
    /** The check called the stop itself: the harness's stop only waits for serve() to return. */
    private volatile boolean stopCalled;
    private boolean stopped;
    /** serve() threw the skeleton's "Not implemented yet" and is ending (or has ended). */
    private volatile boolean skeleton;

    private ServerHarness(ServedLab lab, Duration prompt, Duration stopLimit) {
        this.lab = lab;
        this.prompt = prompt;
        this.stopLimit = stopLimit;
        this.serving = Student.start("running serve(), which must return once " + lab.serveUntil(), () -> {
            try {
                lab.serve();
            } catch (UnsupportedOperationException notImplemented) {
                skeleton = true;
                try {
                    lab.notImplemented();           // the checks fail at once, not after their waits
                } catch (Exception | AssertionError e) {
                    notImplemented.addSuppressed(e);
                }
                throw notImplemented;
            }
            return null;
        });
    }

    /**
     * Starts serving; {@code prompt} bounds what a correct server does in milliseconds (serve()
     * returning after the stop), {@code stopLimit} bounds the stop call itself.
     */
    public static ServerHarness start(ServedLab lab, Duration prompt, Duration stopLimit) {
        return new ServerHarness(lab, prompt, stopLimit);
    }

    /**
     * For a serve() that threw the skeleton's "Not implemented yet" ({@link ServedLab#notImplemented}):
     * accepts every connection that reaches the checker's {@code listener} and closes it at once, so a
     * check's client sees the end of the stream now, and the check fails with the skeleton's message
     * instead of after its own waits. The connects still succeed, so no check mistakes it for a
     * listener that is not there. Its thread ends when the listener is closed, or after a minute.
     */
    public static void closeEveryConnection(ServerSocket listener) {
        Thread closer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try {
                listener.setSoTimeout(200);
                while (!listener.isClosed() && System.nanoTime() < deadline) {
                    try (Socket ignored = listener.accept()) {
                        // closed at once: the client reads the end of the stream
                    } catch (SocketTimeoutException e) {
                        // look at the clock and the listener again
                    }
                }
            } catch (IOException e) {
                // the listener was closed: nothing more will come
            }
        }, "checker-closes-connections-" + listener.getLocalPort());
        closer.setDaemon(true);
        Student.ABANDONED.add(closer);
        closer.start();
    }

    /** Whether serve() is still running. */
    public boolean isServing() {
        return !serving.isDone();
    }

    /** The thread that runs serve(): the accepting thread. */
    public Thread servingThread() {
        return serving.thread();
    }

    /** Whether serve() is still running {@code time} from now (awaited, not slept on: an early end shows at once). */
    public boolean stillServingAfter(Duration time) throws InterruptedException {
        return !serving.awaitDone(time);
    }

    /** How serve() ended, once it has: null if it returned, else what it threw. */
    public Throwable thrown() {
        try {
            serving.await(Duration.ZERO);
            return null;
        } catch (Exception | Error e) {
            return e;
        }
    }

    /** The check is about to stop the server itself (stopAccepting(), a close() on a thread of its own). */
    public void stopping() {
        stopping = true;
    }

    /** The check calls the stop itself, now: {@link #stop()} then only waits for serve() to return. */
    public void stopCalled() {
        stopping = true;
        stopCalled = true;
    }

    /**
     * " serve() ended before close() was called, with …" in the lab's words, or "" while serve() runs
     * (or once a stop was asked for). A skeleton's serve() fails the check with its own "Not
     * implemented yet": it says all there is to say, so a check that waited for the server in vain
     * reports it instead of its own wait.
     */
    public String endedEarly() {
        if (skeleton && !stopping) {
            try {
                serving.awaitDone(prompt);                // it is ending now: say so every time, not by luck
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (isServing() || stopping) {
            return "";
        }
        Throwable thrown = thrown();
        if (notImplemented(thrown)) {
            throw (AssertionFailedError) thrown;
        }
        return lab.endedEarly(thrown);
    }

    private static boolean notImplemented(Throwable thrown) {
        return thrown instanceof AssertionFailedError e && e.getMessage() != null
                && e.getMessage().startsWith("Not implemented yet");
    }

    /** Calls the stop under its limit, then waits for serve() to return; fails the check if either does not. */
    public void stop() throws Exception {
        stop(STOP_FAILED);
    }

    /** Stops the server if the check did not, as {@link #stop()} does (the check's own failure stands). */
    @Override
    public void close() throws Exception {
        stop(STOP_AFTER_CHECK_FAILED);
    }

    private void stop(String failed) throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!isServing() && !stopping) {              // serve() ended early: stop quietly to free the port
            try {
                Student.run("stopping a server whose serve() had ended", stopLimit, lab::stop);
            } catch (Exception | AssertionError ignored) {
                // how serve() ended says more
            }
            String early = endedEarly();              // throws a skeleton's "Not implemented yet" as it is
            stopping = true;
            throw new AssertionFailedError(failed + early.strip());
        }
        stopping = true;
        if (!stopCalled) {
            callStop(failed, lab.stopDoing());
        }
        returned(failed, lab.stopCall(), lab.notes());
        lab.stopped(failed);
    }

    /**
     * The check stops the server now, at a moment of its choosing ({@code doing}: "stopping the server
     * with close(), while serve() was in events.connected"), checked as {@link #stop()} checks it;
     * {@link #stop()} then only waits for serve() to return.
     */
    public void stopNow(String doing) throws Exception {
        stopCalled();
        callStop(STOP_FAILED, doing);
    }

    private void callStop(String failed, String doing) throws Exception {
        try {
            Student.run(doing, stopLimit, lab::stop);
        } catch (AssertionFailedError e) {            // blocked, or not written yet
            throw new AssertionFailedError(failed + e.getMessage() + linked(e.getMessage(), lab.notes()), e);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(failed + lab.stopCall() + " threw " + e + ": stopping must not fail "
                    + lab.notes(), e);
        }
    }

    /**
     * After the check stopped the server itself ({@code after}: "stopAccepting()"), serve() must
     * return promptly; fails the check, ending with {@code notes}, if it does not.
     */
    public void awaitReturned(String after, String notes) throws Exception {
        returned("", after, notes);
    }

    private void returned(String failed, String after, String notes) throws Exception {
        String lead = failed.isEmpty() ? "After " : failed + "after ";
        try {
            serving.await(prompt);
        } catch (AssertionFailedError e) {            // still blocked, or not written yet
            throw new AssertionFailedError(lead + after + ", serve() did not return: " + e.getMessage()
                    + lab.stillServing(serving.thread().getStackTrace()) + " " + notes, e);
        } catch (Exception e) {
            String why = lab.threwAfterStop(e);
            throw new AssertionFailedError(lead + after + ", serve() threw " + e + " instead of returning: " + why
                    + linked(why, notes), e);
        }
    }

    /** " (notes: …)", unless {@code message} already links the notes. */
    private static String linked(String message, String notes) {
        return message != null && message.contains("(notes: ") ? "" : " " + notes;
    }
}
