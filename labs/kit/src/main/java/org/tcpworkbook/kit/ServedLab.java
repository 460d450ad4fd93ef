package org.tcpworkbook.kit;

/**
 * A student's server as {@link ServerHarness} drives it: the small interface each server lab (3 to 6)
 * implements once in its checker, so that one harness starts, watches and stops all of them. The
 * three abstract methods are all a lab must say; the defaults are the words of the labs whose server
 * is a listener and an accept loop, and a lab overrides one only where its own words are clearer.
 */
public interface ServedLab {
    /** The student's serve loop, with the checker's recorders: runs until {@link #stop()}. */
    void serve() throws Exception;

    /** The student's stop: close(), shutdown(grace)...; serve() must return once it has. */
    void stop() throws Exception;

    /** What {@link #stop()} calls, for messages: "close()" unless the lab says otherwise ("shutdown()"). */
    default String stopCall() {
        return "close()";
    }

    /** Where the notes explain serve() and the stop, ending every message about them. */
    String notes();

    /** What makes serve() return, for "running serve(), which must return once ...". */
    default String serveUntil() {
        return stopCall() + " was called";
    }

    /** What the harness is doing while it calls {@link #stop()}, for "still blocked ... while ...". */
    default String stopDoing() {
        return "stopping the server with " + stopCall();
    }

    /**
     * Why serve() ending before any stop is wrong, starting with a space: {@code thrown} is what it
     * threw, null if it returned (a skeleton's "Not implemented yet" never comes here).
     */
    default String endedEarly(Throwable thrown) {
        return " serve() ended before " + stopCall() + " was called, " + (thrown == null ? "by returning"
                : "with " + thrown) + ": a server serves until it is stopped " + notes();
    }

    /**
     * What serve() still waits in when it did not return after the stop, starting with a space ("" if
     * nothing more can be said); {@code stack} is its thread's stack at that moment.
     */
    default String stillServing(StackTraceElement[] stack) {
        return "";
    }

    /** Why serve() throwing {@code thrown} after the stop is wrong, after "serve() threw X instead of returning: ". */
    default String threwAfterStop(Exception thrown) {
        return "once the listener is closed, accept() throws SocketException, which is the signal to return";
    }

    /**
     * serve() threw the skeleton's "Not implemented yet": release what the check's clients would wait
     * for (close the checker's listener, so that queued connections are reset and new ones refused),
     * so that the check fails at once with that message instead of after each of its waits. Called on
     * serve()'s thread, before its end is recorded.
     */
    default void notImplemented() throws Exception {
    }

    /**
     * What else a stop must have done, checked once serve() returned (the threads it started ended,
     * say); fails the check with {@code failed} ("Stopping your server failed: ") and the cause.
     */
    default void stopped(String failed) throws Exception {
    }
}
