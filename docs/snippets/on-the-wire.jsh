// TCP on the wire: two short conversations to watch with tcpdump.   Run:  jshell docs/snippets/on-the-wire.jsh
// docs/wire/capture.sh runs this script and captures it (Linux, as root); see "TCP on the wire" in the notes.
// A listener and its client in this one jshell, on the loopback address, on a port the system chooses.
//   WIRE_PAUSE_MS=1500  waits that long after printing the port, so that tcpdump can be started on it
//   WIRE_SS=1           prints the connection's states with Linux's "ss -tan" at each step
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

InetAddress loopback = InetAddress.getLoopbackAddress();
ServerSocket listener = new ServerSocket(0, 5, loopback);
int port = listener.getLocalPort();
System.out.println("port " + port);
String pause = System.getenv("WIRE_PAUSE_MS");
if (pause != null) {
    Thread.sleep(Math.min(10_000, Long.parseLong(pause)));   // time to start tcpdump, 10 s at most
}

// Linux's ss, when WIRE_SS is set: every TCP socket on this port, with its state.
void states(String when) throws Exception {
    if (System.getenv("WIRE_SS") == null) {
        return;
    }
    Process ss = new ProcessBuilder("ss", "-tan", "( sport = :" + port + " or dport = :" + port + " )")
            .redirectErrorStream(true).start();
    String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ss.waitFor(5, TimeUnit.SECONDS);
    System.out.println("ss -tan, " + when + ":");
    System.out.print(text);
}

void send(Socket socket, String line) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
}

BufferedReader reader(Socket socket) throws Exception {
    socket.setSoTimeout(2000);                                 // every read below is bounded
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
}

// 1. A whole conversation: handshake, a line each way, the client closes, then the server.
Socket client = new Socket();
client.connect(listener.getLocalSocketAddress(), 2000);
listener.setSoTimeout(2000);
Socket accepted = listener.accept();
System.out.println("1. client " + client.getLocalPort() + " connected to " + port);
states("connected");
BufferedReader clientIn = reader(client);
BufferedReader serverIn = reader(accepted);
send(client, "hello");
System.out.println("1. the server reads: " + serverIn.readLine());
send(accepted, "hi");
System.out.println("1. the client reads: " + clientIn.readLine());
client.close();
System.out.println("1. the client closed; the server reads: " + serverIn.readLine());
states("the client closed, the server not yet");
accepted.close();
states("both closed");

// 2. A reset: the client sends a line; the server answers "busy" and closes without reading it.
client = new Socket();
client.connect(listener.getLocalSocketAddress(), 2000);
accepted = listener.accept();
System.out.println("2. client " + client.getLocalPort() + " connected to " + port);
send(client, "is anyone there?");
clientIn = reader(client);
send(accepted, "busy");
accepted.close();                                             // the client's line is still unread
System.out.println("2. the client reads: " + clientIn.readLine() + ", then " + clientIn.readLine());
try {
    send(client, "hello?");
    System.out.println("2. the client's write went through");
} catch (SocketException e) {
    System.out.println("2. the client's write fails: " + e.getMessage());
}
states("after the reset");
client.close();
listener.close();
/exit
