// Lab 2: one read is not one message.   Run:  jshell docs/snippets/lab2-stream.jsh
// A server and a client in this one jshell, on the loopback address, in one thread:
// the server's writes wait in the client's receive buffer until the client reads them.
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

// This script prints in UTF-8, whatever the platform's default: set your terminal to UTF-8 to
// read the Chinese. A line end is shown as \n. U+FFFD, a question mark in a black diamond, is
// the replacement character, which a decoder puts where the bytes were not a whole character.
PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

String escaped(String s) {
    return s.replace("\n", "\\n");
}

// The bytes of a read, as hexadecimal.
String hex(byte[] buf, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
        b.append(String.format("%02x ", buf[i] & 0xff));
    }
    return b.toString().trim();
}

// "ni hao shi jie", hello world, in Chinese: 4 characters, 3 bytes each in UTF-8.
String hello = "\u4f60\u597d\u4e16\u754c";
byte[] helloLine = (hello + "\n").getBytes(StandardCharsets.UTF_8);
out.println(escaped(hello) + " is " + hello.length() + " chars, "
        + hello.getBytes(StandardCharsets.UTF_8).length + " bytes in UTF-8, "
        + helloLine.length + " with its \\n");

// 1. Connect. The listener's backlog completes the connection; accept() then hands it over.
ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
Socket client = new Socket();
client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 2000);
client.setSoTimeout(2000);      // no read below may wait longer than 2 s
Socket server = listener.accept();
OutputStream toClient = server.getOutputStream();
InputStream fromServer = client.getInputStream();

// 2. The server sends one message, in one write. The client reads it as the Python
//    tutorial does, recv(5) style: 5 bytes at most per read, each read decoded on its own.
toClient.write(helloLine);
toClient.flush();
byte[] buf = new byte[5];
int total = 0;
while (total < helloLine.length) {
    int n = fromServer.read(buf);
    if (n < 0) {
        break;
    }
    total += n;
    out.println("read " + n + " bytes [" + hex(buf, n) + "] decoded alone: "
            + escaped(new String(buf, 0, n, StandardCharsets.UTF_8)));
}
out.println("one message took several reads, and decoding each read broke characters");

// 3. Two messages in one write: one read may return both.
byte[] twoLines = "first\nsecond\n".getBytes(StandardCharsets.UTF_8);
toClient.write(twoLines);
toClient.flush();
byte[] big = new byte[1024];
total = 0;
while (total < twoLines.length) {
    int n = fromServer.read(big);
    if (n < 0) {
        break;
    }
    total += n;
    out.println("read " + n + " bytes: " + escaped(new String(big, 0, n, StandardCharsets.UTF_8)));
}

// 4. The right way: a BufferedReader over an InputStreamReader in UTF-8. It collects bytes
//    up to the \n, decodes characters whose bytes came in different pieces, and keeps what
//    follows a line for the next readLine().
BufferedReader lines = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));
toClient.write(Arrays.copyOfRange(helloLine, 0, 5));    // 5 bytes: half of the second character
toClient.flush();
toClient.write(Arrays.copyOfRange(helloLine, 5, helloLine.length));
toClient.write(twoLines);                               // and two more lines in the same piece
toClient.flush();
for (int i = 1; i <= 3; i++) {
    String line = lines.readLine();
    out.println("readLine() " + i + ": " + escaped(line)
            + (line.equals(hello) ? "  (the whole message, intact)" : ""));
}

// 5. The server closes its socket: the client's read sees the end of the stream.
server.close();
out.println("after the server closed: readLine() = " + lines.readLine());
client.close();
listener.close();
/exit
