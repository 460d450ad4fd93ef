package org.tcpworkbook.lab1;

/** What a TCP connect to a host and port tells an application. */
public enum Reachability {
    /** The connect completed: something listens there. */
    REACHABLE,
    /** The host answered, but nothing listens on that port ("Connection refused"). */
    REFUSED,
    /** No answer within the timeout: host down, packets dropped, or a listener that is overwhelmed. */
    TIMED_OUT
}
