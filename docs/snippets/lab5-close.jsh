// Lab 5: the ways a connection ends.   Run:  jshell docs/snippets/lab5-close.jsh
// A listener and its clients in this one jshell, on the loopback address, in one thread.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

InetAddress loopback = InetAddress.getLoopbackAddress();
ServerSocket listener = new ServerSocket(0, 5, loopback);
InetSocketAddress where = new InetSocketAddress(loopback, listener.getLocalPort());

Socket connect() throws Exception {
    Socket s = new Socket();
    s.connect(where, 2000);
    s.setSoTimeout(2000);          // every read below is bounded
    return s;
}

String readAll(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\n", "\\n");
}

// 1. A normal close (FIN): the client reads what was sent, then -1, and -1 again.
Socket client = connect();
Socket accepted = listener.accept();
accepted.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
accepted.close();
InputStream in = client.getInputStream();
System.out.println("1. the server closed: the client reads \"" + readAll(in) + "\", then " + in.read()
        + ", then " + in.read() + " again");
client.close();

// 2. A reset (RST): linger 0, then close. The client's read throws "Connection reset".
client = connect();
accepted = listener.accept();
accepted.setSoLinger(true, 0);
accepted.close();
try {
    client.getInputStream().read();
    System.out.println("2. no reset?");
} catch (SocketException e) {
    System.out.println("2. after a reset, the client's read throws " + e);
}
client.close();

// 3. Half-close: the client shuts down its output (FIN) and can still read the answer.
client = connect();
accepted = listener.accept();
accepted.setSoTimeout(2000);
client.getOutputStream().write("hello, server".getBytes(StandardCharsets.UTF_8));
client.shutdownOutput();
int size = accepted.getInputStream().readAllBytes().length;   // up to -1: the request is complete
accepted.getOutputStream().write((size + " bytes received\n").getBytes(StandardCharsets.UTF_8));
accepted.close();
System.out.println("3. the server read the request up to -1, and answered: " + readAll(client.getInputStream()).replace("\\n", ""));
client.close();

// 4. Closing the listener ends no connection: only new connects are refused.
client = connect();
accepted = listener.accept();
listener.close();
try (Socket late = new Socket()) {
    late.connect(where, 2000);
} catch (ConnectException e) {
    System.out.print("4. listener closed; a new connect: " + e.getMessage());
}
accepted.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
accepted.close();
System.out.println("; the old connection still works: \"" + readAll(client.getInputStream()) + "\"");
client.close();
/exit
