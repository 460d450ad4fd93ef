// Lab 4: a thread per client, and a counter shared by threads.   Run:  jshell docs/snippets/lab4-threads.jsh
// A tiny echo server whose conversations each run on a thread of their own, and two clients.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

InetAddress loopback = InetAddress.getLoopbackAddress();
ServerSocket listener = new ServerSocket(0, 5, loopback);

// 1. The accepting thread: accept, hand the new socket to a new thread, accept again at once.
Runnable conversation(Socket socket) {
    return () -> {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
            String line;
            while ((line = in.readLine()) != null) {
                out.println(Thread.currentThread().getName() + " says: " + line);
            }
        } catch (Exception e) {
            // this conversation is over; the others go on
        }
    };
}
Thread acceptor = new Thread(() -> {
    try {
        for (int n = 1; ; n++) {
            Socket client = listener.accept();
            new Thread(conversation(client), "conversation-" + n).start();
        }
    } catch (Exception e) {
        // the listener was closed: stop accepting
    }
}, "acceptor");
acceptor.start();

// 2. Alice connects and stays silent. Bob connects after her, and is answered anyway.
Socket alice = new Socket(loopback, listener.getLocalPort());
Socket bob = new Socket(loopback, listener.getLocalPort());
bob.setSoTimeout(2000);
PrintWriter toBob = new PrintWriter(new OutputStreamWriter(bob.getOutputStream(), StandardCharsets.UTF_8), true);
BufferedReader fromBob = new BufferedReader(new InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8));
toBob.println("hello, while Alice says nothing");
System.out.println("Bob got: " + fromBob.readLine());

// 3. Close everything: the listener (the acceptor's accept() throws), then both clients
//    (each conversation's readLine() returns null, and its thread ends).
listener.close();
alice.close();
bob.close();
acceptor.join(2000);
System.out.println("acceptor still running? " + acceptor.isAlive());

// 4. A counter shared by threads: count++ is three steps (read, add one, write back), and two
//    threads can interleave them, so that one's count overwrites the other's. An AtomicLong adds
//    in one indivisible step.
class Counters {
    long plain;
    final AtomicLong atomic = new AtomicLong();
}
Counters counters = new Counters();
Thread[] counting = new Thread[4];
for (int t = 0; t < counting.length; t++) {
    counting[t] = new Thread(() -> {
        for (int i = 0; i < 1_000_000; i++) {
            counters.plain++;
        }
        for (int i = 0; i < 1_000_000; i++) {
            counters.atomic.incrementAndGet();
        }
    });
    counting[t].start();
}
for (Thread t : counting) {
    t.join();
}
System.out.println("4 threads x 1000000: count++ counted " + counters.plain + ", the AtomicLong " + counters.atomic.get());
/exit
