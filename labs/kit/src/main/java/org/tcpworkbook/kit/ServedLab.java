package org.tcpworkbook.kit;

/**
 * A student's server as {@link ServerHarness} drives it: the small interface each server lab (3 to 6)
 * implements once in its checker, so that one harness starts, watches and stops all of them.
 */
public interface ServedLab {
    /** The student's serve loop, with the checker's recorders: runs until {@link #stop()}. */
    void serve() throws Exception;

    /** The student's stop: close(), shutdown(grace)...; serve() must return once it has. */
    void stop() throws Exception;

    /** What {@link #stop()} calls, for messages: "close()", "shutdown(10 s)". */
    String stopCall();

    /** Where the notes explain serve() and the stop, ending every message about them. */
    String notes();
}
