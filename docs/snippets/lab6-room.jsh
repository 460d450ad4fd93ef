// Lab 6: a room in a few lines: a bounded queue and a writer thread per member.   Run:  jshell docs/snippets/lab6-room.jsh
// Two members read; a third never reads. The speaker never waits for anyone: a full queue drops its member.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

InetAddress loopback = InetAddress.getLoopbackAddress();
ServerSocket listener = new ServerSocket(0, 5, loopback);

// 1. A member, as the room sees it: its socket, a queue of at most 256 lines, and a writer thread,
//    the only thread that ever writes to that socket.
class Member {
    final String nick;
    final Socket socket;
    final BlockingQueue<String> queue = new ArrayBlockingQueue<>(256);
    Member(String nick, Socket socket) {
        this.nick = nick;
        this.socket = socket;
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write((queue.take() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                // the socket closed: this writer ends
            }
        });
        writer.setDaemon(true);
        writer.start();
    }
}
List<Member> room = new CopyOnWriteArrayList<>();   // iterating it never sees a member removed midway

// 2. The broadcast: offer() never blocks; a full queue means "reads too slowly": drop that member.
void broadcast(Member from, String line) throws Exception {
    for (Member to : room) {
        if (to != from && !to.queue.offer(line)) {
            room.remove(to);
            to.socket.close();
            System.out.println("   dropped " + to.nick + ": its queue was full");
        }
    }
}

Socket[] clients = new Socket[3];
for (int i = 0; i < 3; i++) {
    clients[i] = new Socket();
    clients[i].setReceiveBufferSize(2048);          // a small window, so that a member who never reads fills it soon
    clients[i].connect(listener.getLocalSocketAddress(), 2000);
    room.add(new Member(new String[] {"ann", "bob", "sleepy"}[i], listener.accept()));
}

// 3. bob reads on a thread of his own; sleepy never reads. ann speaks, lines of 1000 bytes, until
//    sleepy is dropped: first the kernel's buffers fill (the receiver's, then the sender's), then
//    sleepy's writer blocks in write(), then its queue fills.
int[] bobGot = new int[1];
Thread bob = new Thread(() -> {
    try {
        InputStream in = new java.io.BufferedInputStream(clients[1].getInputStream());
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') bobGot[0]++;
        }
    } catch (Exception e) {
    }
});
bob.start();
Member sleepy = room.get(2);
long start = System.nanoTime();
int said = 0;
while (room.contains(sleepy) && said < 50000) {
    broadcast(room.get(0), "[ann] " + said + " " + "x".repeat(1000));
    said++;
    if (said % 8 == 0) Thread.sleep(1);            // ann types fast, but not faster than bob reads
}
System.out.println("1. ann said " + said + " lines (" + said / 1000 + " MB) in " + (System.nanoTime() - start) / 1_000_000
        + " ms before sleepy's queue was full; she never waited for sleepy");
System.out.println("2. in the room now: " + room.stream().map(m -> m.nick).toList());
for (int i = 0; i < 300 && bobGot[0] < said; i++) {
    Thread.sleep(10);
}
System.out.println("3. bob received " + bobGot[0] + " of " + said + " lines");
for (Socket c : clients) c.close();
for (Member m : room) m.socket.close();
listener.close();
bob.join(2000);
/exit
