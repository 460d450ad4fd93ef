package org.tcpworkbook.lab1;

/**
 * What an IP address literal is: its family and its scope.
 *
 * @param family IPv4 or IPv6
 * @param scope  where the address is meant to be used
 */
public record AddressInfo(Family family, Scope scope) {

    /** The two families of IP addresses. */
    public enum Family {
        /** 32 bits, written as four decimal numbers: 192.168.88.8 */
        IPV4,
        /** 128 bits, written as eight groups of hex digits: 2001:db8::1 */
        IPV6
    }

    /** Where an address is meant to be used. */
    public enum Scope {
        /** This machine only: 127.0.0.0/8, ::1. */
        LOOPBACK,
        /** Private networks: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; IPv6 unique local fc00::/7. */
        PRIVATE,
        /** One network link only, never routed: 169.254.0.0/16, fe80::/10. */
        LINK_LOCAL,
        /** "No address": 0.0.0.0 and ::, which a server binds to mean "every interface". */
        UNSPECIFIED,
        /** Anything else: public addresses, multicast, documentation ranges… */
        OTHER
    }
}
