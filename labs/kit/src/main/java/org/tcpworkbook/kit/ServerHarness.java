package org.tcpworkbook.kit;

import java.time.Duration;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a student's server ({@link ServedLab}) the way every server lab's checker does: serve() on a
 * thread of its own from the start, and a stop that is itself checked: the stop call must return
 * within its limit, and serve() must then return (not throw) promptly. Labs 3 to 6 share it; each
 * keeps its own recorders (a {@link EventLog}, {@link Gate}s) in its ServedLab.
 */
public final class ServerHarness implements AutoCloseable {
    private final ServedLab lab;
    private final Student.Running<Void> serving;
    private final Duration prompt;
    private final Duration stopLimit;
    private volatile boolean stopping;
    private boolean stopped;

    private ServerHarness(ServedLab lab, Duration prompt, Duration stopLimit) {
        this.lab = lab;
        this.prompt = prompt;
        this.stopLimit = stopLimit;
        this.serving = Student.start("running serve(), which must return once " + lab.stopCall() + " was called", () -> {
            lab.serve();
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

    /** Whether serve() is still running. */
    public boolean isServing() {
        return !serving.isDone();
    }

    /**
     * Fails the check if serve() ended before any stop: by returning, or with what it threw
     * ("" while it runs or once a stop was asked for).
     */
    public String endedEarly() {
        if (isServing() || stopping) {
            return "";
        }
        try {
            serving.await(Duration.ZERO);
            return " serve() returned before " + lab.stopCall() + " was called.";
        } catch (Throwable t) {
            return " serve() ended before " + lab.stopCall() + " was called, throwing " + t + ".";
        }
    }

    /**
     * Throws the skeleton's "Not implemented yet" if that is how serve() ended: it says all there is
     * to say, so a check that waited for the server in vain reports it instead of its own wait.
     */
    public void failIfNotImplemented() {
        if (isServing()) {
            return;
        }
        try {
            serving.await(Duration.ZERO);
        } catch (AssertionFailedError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Not implemented yet")) {
                throw e;
            }
        } catch (Exception e) {
            // any other ending is for endedEarly() to describe
        }
    }

    /** Calls the stop under its limit, then waits for serve() to return; fails the check if either does not. */
    public void stop() throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        stopping = true;
        Student.run("calling " + lab.stopCall(), stopLimit, lab::stop);
        try {
            serving.await(prompt);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError("serve() did not return within " + prompt.toMillis() + " ms after "
                    + lab.stopCall() + " returned: " + e.getMessage() + " " + lab.notes(), e);
        } catch (Exception e) {
            throw new AssertionFailedError("serve() threw " + e + " after " + lab.stopCall() + ": a stopped server's"
                    + " serve() returns normally (the listener closed on purpose is no error) " + lab.notes(), e);
        }
    }

    /** Stops the server if the check did not (the check's result stands; a failing stop is reported). */
    @Override
    public void close() throws Exception {
        stop();
    }
}
