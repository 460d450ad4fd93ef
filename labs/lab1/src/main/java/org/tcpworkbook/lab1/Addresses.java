package org.tcpworkbook.lab1;

/** Task 1: what kind of address is this literal? Never asks DNS. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * Classifies an IPv4 literal (strict dotted quad, {@code 192.168.88.8}) or an IPv6 literal
     * ({@code fe80::1}) without any name lookup.
     *
     * @throws IllegalArgumentException if {@code literal} is neither
     */
    public static AddressInfo classify(String literal) {
        // TODO Task 1: return the family (IPV4 or IPV6) and the scope (LOOPBACK, PRIVATE, LINK_LOCAL,
        //  UNSPECIFIED or OTHER) of the literal; throw IllegalArgumentException, saying why, for
        //  anything that is not an address literal. Never hand a string to InetAddress.getByName
        //  unless you know it is a literal: anything else becomes a DNS query.
        throw new UnsupportedOperationException(
                "Task 1: implement Addresses.classify (notes: lab1.html#task-classify)");
    }
}
