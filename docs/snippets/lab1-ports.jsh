// Lab 1: ports in jshell.   Run:  jshell docs/snippets/lab1-ports.jsh
// Everything happens on the loopback address of this machine.
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;

InetAddress loopback = InetAddress.getLoopbackAddress();

// Where this system takes ephemeral ports from. Only Linux has this file;
// on Windows ask:  netsh int ipv4 show dynamicport tcp
Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
if (Files.exists(range)) {
    String bounds = Files.readAllLines(range).get(0).trim().replaceAll("\\s+", "-");
    System.out.println("ephemeral range: " + bounds);
} else {
    System.out.println("no " + range + " on this system");
}

// Port 0 means "system, choose a free port for me". Ask the socket which one it got.
ServerSocket server = new ServerSocket(0, 50, loopback);
int port = server.getLocalPort();
System.out.println("listening on " + server.getInetAddress().getHostAddress()
        + ", port " + port);

// While it is open, nobody else can bind the same address and port.
try (ServerSocket second = new ServerSocket(port, 50, loopback)) {
    System.out.println("second bind worked?!");
} catch (BindException e) {
    System.out.println("second bind of port " + port + ": " + e);
}

// Connect to it: the connection gets its own ephemeral port on the client side.
try (Socket client = new Socket()) {
    client.connect(new InetSocketAddress(loopback, port), 1000);
    System.out.println("connected from local port " + client.getLocalPort()
            + " to port " + client.getPort());
}

// Closing the listener releases the port: it can be bound again at once...
server.close();
try (ServerSocket again = new ServerSocket(port, 50, loopback)) {
    System.out.println("port " + port + " bound again after close");
}

// ...and now that nobody listens there, a connect is refused straight away.
try (Socket client = new Socket()) {
    client.connect(new InetSocketAddress(loopback, port), 1000);
    System.out.println("connected?!");
} catch (ConnectException e) {
    System.out.println("connect to closed port " + port + ": refused, " + e);
} catch (SocketTimeoutException e) {
    System.out.println("connect to closed port " + port + ": timed out");
}
/exit
