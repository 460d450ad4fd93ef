package org.tcpworkbook.kit;

/** How a reference client's connection went, or ended. */
public enum Outcome {
    /** Connected, and still open as far as this side knows. */
    OPEN,
    /** The other side closed normally: read returned -1. */
    EOF,
    /** The other side reset the connection (RST): "Connection reset". */
    RESET,
    /** Nobody listens on that port: "Connection refused". */
    REFUSED,
    /** The connect did not complete in time (e.g. a listener whose backlog is full). */
    TIMED_OUT
}
