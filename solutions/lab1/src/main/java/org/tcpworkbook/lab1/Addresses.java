package org.tcpworkbook.lab1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.tcpworkbook.lab1.AddressInfo.Family;
import org.tcpworkbook.lab1.AddressInfo.Scope;

/** Task 1: what kind of address is this literal? Never asks DNS. */
public final class Addresses {
    private Addresses() {
    }

    // tag::classify[]
    /**
     * Classifies an IPv4 literal (strict dotted quad, {@code 192.168.88.8}) or an IPv6 literal
     * ({@code fe80::1}) without any name lookup.
     *
     * @throws IllegalArgumentException if {@code literal} is neither
     */
    public static AddressInfo classify(String literal) {
        if (literal == null || literal.isEmpty()) {
            throw new IllegalArgumentException("no address given");
        }
        InetAddress address = literal.contains(":") ? parseIpv6(literal) : parseIpv4(literal);
        Family family = literal.contains(":") ? Family.IPV6 : Family.IPV4;
        return new AddressInfo(family, scopeOf(address));
    }

    /** Four decimal numbers 0–255, no leading zeros; bytes in, address out: no DNS possible. */
    private static InetAddress parseIpv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(literal, "an IPv4 address has four numbers separated by dots");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(literal, "\"" + part + "\" is not a number from 0 to 255");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw invalid(literal, "\"" + part + "\" has a leading zero (some tools read it as octal)");
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw invalid(literal, value + " is more than 255");
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid IPv4 address", e);
        }
    }

    /**
     * Hex digits, colons and dots only. Given such a string (it contains a colon), getByName parses
     * it as an IPv6 literal or rejects it: it never falls back to a DNS query.
     */
    private static InetAddress parseIpv6(String literal) {
        if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw invalid(literal, "an IPv6 address has only hex digits, colons (and a dotted IPv4 tail)");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw invalid(literal, "not a valid IPv6 address");
        }
    }

    private static Scope scopeOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return Scope.UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return Scope.LOOPBACK;
        }
        if (address.isLinkLocalAddress()) {
            return Scope.LINK_LOCAL;
        }
        if (bytes.length == 4 ? address.isSiteLocalAddress() : (bytes[0] & 0xfe) == 0xfc) {
            return Scope.PRIVATE; // IPv6: unique local fc00::/7, not the obsolete site-local fec0::/10
        }
        return Scope.OTHER;
    }

    private static IllegalArgumentException invalid(String literal, String why) {
        return new IllegalArgumentException("\"" + literal + "\" is not an IP address literal: " + why);
    }
    // end::classify[]
}
