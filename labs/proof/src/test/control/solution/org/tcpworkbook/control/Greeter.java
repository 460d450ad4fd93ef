package org.tcpworkbook.control;

/** The control lab's "solution": small enough that its checker runs in a few milliseconds. */
public final class Greeter {

    private Greeter() {
    }

    /** "hello " and the name. */
    public static String greet(String name) {
        return "hello " + name;
    }

    /** Twice n. */
    public static int twice(int n) {
        return 2 * n;
    }
}
