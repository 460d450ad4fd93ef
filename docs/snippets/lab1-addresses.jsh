// Lab 1: addresses in jshell.   Run:  jshell docs/snippets/lab1-addresses.jsh
// Only address literals and raw bytes: nothing here asks DNS or sends a packet.
import java.net.InetAddress;

// One line per address: the text Java prints, then what the JDK's predicates say.
void show(String label, InetAddress a) {
    System.out.println(label + " -> " + a.getHostAddress()
            + (a.isLoopbackAddress() ? "  loopback" : "")
            + (a.isSiteLocalAddress() ? "  site-local" : "")
            + (a.isLinkLocalAddress() ? "  link-local" : "")
            + (a.isAnyLocalAddress() ? "  unspecified (any)" : ""));
}

// The loopback address, without looking up the name "localhost".
InetAddress loopback = InetAddress.getLoopbackAddress();
show("getLoopbackAddress()", loopback);

// Four bytes make an IPv4 address. Java's byte is signed: 192 must be cast.
InetAddress lan = InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 10});
show("bytes 192,168,1,10", lan);
show("bytes 10,0,0,1", InetAddress.getByAddress(new byte[] {10, 0, 0, 1}));
InetAddress linkLocal =
        InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, 7, 7});
show("bytes 169,254,7,7", linkLocal);
show("bytes 0,0,0,0", InetAddress.getByAddress(new byte[4]));

// Sixteen bytes make an IPv6 address: ::1 is fifteen zero bytes and a one.
byte[] sixteen = new byte[16];
sixteen[15] = 1;
show("16 bytes ...0,1", InetAddress.getByAddress(sixteen));

// A string that is an IPv6 literal is parsed, not looked up.
// Java prints it in full, without the :: shorthand.
show("literal fe80::1", InetAddress.getByName("fe80::1"));
show("literal ::", InetAddress.getByName("::"));

// The trap: a unique-local address (fc00::/7) is NOT "site-local" for Java,
// which tests the old fec0::/10 block instead.
show("literal fd12:3456::1", InetAddress.getByName("fd12:3456::1"));
show("literal fec0::1", InetAddress.getByName("fec0::1"));
/exit
