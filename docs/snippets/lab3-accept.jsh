// Lab 3: the listening socket and the accepted sockets.   Run:  jshell docs/snippets/lab3-accept.jsh
// A listener and two clients in this one jshell, on the loopback address, in one thread.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

InetAddress loopback = InetAddress.getLoopbackAddress();

// 1. The listening socket: bound to an address and a port, it only takes in connections.
ServerSocket listener = new ServerSocket(0, 5, loopback);
int port = listener.getLocalPort();
System.out.println("listening on " + listener.getLocalSocketAddress());

// 2. Two clients connect. Each gets an ephemeral port of its own from the system.
//    Their connects complete in the listener's backlog, before anybody calls accept().
Socket alice = new Socket();
alice.connect(new InetSocketAddress(loopback, port), 2000);
Socket bob = new Socket();
bob.connect(new InetSocketAddress(loopback, port), 2000);
alice.setSoTimeout(2000);
bob.setSoTimeout(2000);
System.out.println("alice connected from local port " + alice.getLocalPort());
System.out.println("bob   connected from local port " + bob.getLocalPort());

// 3. Each accept() returns a NEW socket, one per connection: the same local port as the
//    listener, and as remote address the client's own address and port.
Socket first = listener.accept();
Socket second = listener.accept();
System.out.println("accepted 1: local port " + first.getLocalPort()
        + ", remote " + first.getRemoteSocketAddress());
System.out.println("accepted 2: local port " + second.getLocalPort()
        + ", remote " + second.getRemoteSocketAddress());

// 4. Messages go through the accepted socket, never through the listener.
OutputStream toAlice = first.getOutputStream();
toAlice.write("bye\n".getBytes(StandardCharsets.UTF_8));
toAlice.flush();

// 5. Closing an accepted socket ends that one conversation: alice reads what was sent
//    before the close, then -1, the end of the stream, and -1 again on every later read.
first.close();
InputStream fromServer = alice.getInputStream();
StringBuilder got = new StringBuilder();
int b;
while ((b = fromServer.read()) != -1) {
    got.append((char) b);
}
System.out.println("alice read \"" + got.toString().replace("\n", "\\n") + "\", then -1;"
        + " again: " + fromServer.read());

// 6. The listener and the other connection are not affected: bob still talks.
second.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
byte[] buf = new byte[64];
int n = bob.getInputStream().read(buf);
System.out.println("bob read " + n + " bytes: " + new String(buf, 0, n, StandardCharsets.UTF_8).trim()
        + "; listener closed? " + listener.isClosed());

// 7. Close everything: the conversations, the clients, and last the listener.
second.close();
alice.close();
bob.close();
listener.close();
System.out.println("all closed");
/exit
