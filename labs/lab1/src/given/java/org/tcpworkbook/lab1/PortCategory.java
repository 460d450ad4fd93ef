package org.tcpworkbook.lab1;

/** IANA's three ranges of port numbers (RFC 6335). */
public enum PortCategory {
    /** 0–1023: assigned to well-known services (FTP 21, SSH 22, SMTP 25, HTTP 80, HTTPS 443). */
    WELL_KNOWN,
    /** 1024–49151: registered with IANA for particular applications. */
    REGISTERED,
    /** 49152–65535: dynamic or private, never assigned; free for temporary use. */
    DYNAMIC
}
